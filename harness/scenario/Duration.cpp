#include "scenario/Duration.hpp"

#include <cctype>
#include <cstdint>

namespace deadpeer::scenario {

namespace {

// Longer than any sensible horizon by far, yet small enough that summing cannot overflow.
constexpr std::int64_t kMaxMs = std::int64_t{1'000'000'000'000};

struct Unit {
  std::string_view name;
  std::int64_t ms;
};
// Largest first: the order in which components must appear ("1m30s", never "30s1m").
constexpr Unit kUnits[] = {{"h", 3'600'000}, {"m", 60'000}, {"s", 1'000}, {"ms", 1}};

bool fail(std::string* why, std::string message) {
  if (why) *why = std::move(message);
  return false;
}

// Reads "<digits>[.<digits>]<unit>" at `pos`, adding its value in ms to `total`.
bool read_component(std::string_view text, std::size_t& pos, int& last_unit, std::int64_t& total, std::string* why) {
  std::int64_t whole = 0;
  std::size_t start = pos;
  while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
    whole = whole * 10 + (text[pos] - '0');
    if (whole > kMaxMs) return fail(why, "number too large");
    ++pos;
  }
  // Fraction kept as numerator/denominator so "1.5s" is exact, not a rounded double.
  std::int64_t frac = 0, frac_den = 1;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::size_t frac_start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      if (frac_den >= 1'000'000'000) return fail(why, "too many decimal places");
      frac = frac * 10 + (text[pos] - '0');
      frac_den *= 10;
      ++pos;
    }
    if (pos == frac_start) return fail(why, "expected digits after '.'");
  }
  if (pos == start) return fail(why, "expected a number at position " + std::to_string(start + 1));

  std::size_t unit_start = pos;
  while (pos < text.size() && std::isalpha(static_cast<unsigned char>(text[pos]))) ++pos;
  std::string_view unit = text.substr(unit_start, pos - unit_start);
  if (unit.empty()) return fail(why, "missing unit after the number (ms, s, m or h)");
  int index = -1;
  for (int i = 0; i < static_cast<int>(std::size(kUnits)); ++i)
    if (kUnits[i].name == unit) index = i;
  if (index < 0) return fail(why, "unknown unit '" + std::string(unit) + "' (ms, s, m or h)");
  if (index <= last_unit)
    return fail(why, "unit '" + std::string(unit) + "' out of order or repeated (largest unit first)");
  last_unit = index;

  const std::int64_t unit_ms = kUnits[index].ms;
  if (whole > kMaxMs / unit_ms) return fail(why, "duration too large");
  if ((frac * unit_ms) % frac_den != 0) return fail(why, "finer than a millisecond");
  total += whole * unit_ms + frac * unit_ms / frac_den;
  if (total > kMaxMs) return fail(why, "duration too large");
  return true;
}

}  // namespace

std::optional<Duration> parse_duration(std::string_view text, std::string* why) {
  if (text.empty()) {
    fail(why, "empty duration");
    return std::nullopt;
  }
  if (text.front() == '-') {
    fail(why, "negative duration");
    return std::nullopt;
  }
  std::size_t pos = 0;
  int last_unit = -1;
  std::int64_t total = 0;
  while (pos < text.size())
    if (!read_component(text, pos, last_unit, total, why)) return std::nullopt;
  return Duration{total};
}

std::string format_duration(Duration d) {
  std::int64_t ms = d.count();
  if (ms < 0) return "-" + format_duration(Duration{-ms});
  if (ms < 1000) return std::to_string(ms) + "ms";
  std::string out;
  if (std::int64_t h = ms / 3'600'000; h > 0) out += std::to_string(h) + "h";
  if (std::int64_t m = ms / 60'000 % 60; m > 0) out += std::to_string(m) + "m";
  std::int64_t s = ms / 1000 % 60, rest = ms % 1000;
  if (s > 0 || rest > 0) {
    out += std::to_string(s);
    if (rest > 0) {
      std::string frac = std::to_string(rest + 1000).substr(1);  // zero-padded to 3 digits
      while (frac.back() == '0') frac.pop_back();
      out += "." + frac;
    }
    out += "s";
  }
  return out;
}

}  // namespace deadpeer::scenario
