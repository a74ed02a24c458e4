#pragma once
// Model times in a form people read: seconds as the model computes them, and hours and minutes
// next to them once they are long ("7875 s (2 h 11 min 15 s)").
#include <cmath>
#include <string>

#include "model/Model.hpp"
#include "model/Text.hpp"

namespace deadpeer::cli {

// 3.5 → "3.5 s"; 150 → "2 min 30 s"; 7200 → "2 h"; 7875 → "2 h 11 min 15 s" (whole seconds
// from 2 minutes on; trailing zero parts left out).
inline std::string human_duration(double s) {
  if (std::isinf(s)) return "never";
  if (std::fabs(s) < 120) return model::secs(s) + " s";
  const long total = std::lround(s), h = total / 3600, min = total % 3600 / 60, sec = total % 60;
  std::string out = h ? std::to_string(h) + " h" : "";
  if (min || (h && sec)) out += (out.empty() ? "" : " ") + std::to_string(min) + " min";
  if (sec) out += (out.empty() ? "" : " ") + std::to_string(sec) + " s";
  return out;
}

// "2.9998–4 s", or "7873.9998–7875 s (2 h 11 min 14 s – 2 h 11 min 15 s)".
inline std::string human_window(const model::Window& w) {
  std::string out = model::to_string(w);
  if (w.hi_s >= 120) out += " (" + human_duration(w.lo_s) + " – " + human_duration(w.hi_s) + ")";
  return out;
}

}  // namespace deadpeer::cli
