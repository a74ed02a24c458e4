#include "model/Text.hpp"

#include <cmath>
#include <cstdio>

namespace deadpeer::model {

std::string secs(double s) {
  if (std::isinf(s)) return "never";
  // Up to 4 decimals (sub-millisecond RTT terms stay visible), trailing zeros trimmed.
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", s);
  std::string out = buf;
  while (!out.empty() && out.back() == '0') out.pop_back();
  if (!out.empty() && out.back() == '.') out.pop_back();
  if (out == "-0") out = "0";
  return out;
}

std::string after_t0(const Window& w) {
  if (w.lo_s == w.hi_s) return secs(w.lo_s) + " s after t0";
  return secs(w.lo_s) + "–" + secs(w.hi_s) + " s after t0";
}

std::string to_string(const Window& w) { return secs(w.lo_s) + "–" + secs(w.hi_s) + " s"; }

}  // namespace deadpeer::model
