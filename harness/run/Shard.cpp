#include "run/Shard.hpp"

#include <algorithm>
#include <charconv>
#include <numeric>
#include <string_view>

namespace deadpeer::run {
namespace {

// The whole of `text` as a non-negative decimal integer, or -1.
long parse_count(std::string_view text) {
  long v = -1;
  if (text.empty() || text.size() > 9) return -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) return -1;
  return v;
}

}  // namespace

bool case_id_less(const std::string& a, const std::string& b) {
  // Ids end in the case's index within its scenario: compare that part as a number.
  const auto split = [](const std::string& s) {
    const auto slash = s.rfind('/');
    const long n = slash == std::string::npos ? -1 : parse_count(std::string_view(s).substr(slash + 1));
    return n < 0 ? std::pair{s, -1L} : std::pair{s.substr(0, slash), n};
  };
  return split(a) < split(b);
}

ShardSpec parse_shard(const std::string& text) {
  const auto bad = [&](const std::string& why) {
    return ShardError("--shard " + text + ": " + why + " (expected i/n with 1 ≤ i ≤ n, e.g. 2/4)");
  };
  const auto slash = text.find('/');
  if (slash == std::string::npos) throw bad("no '/'");
  const long i = parse_count(std::string_view(text).substr(0, slash));
  const long n = parse_count(std::string_view(text).substr(slash + 1));
  if (i < 0 || n < 0) throw bad("i and n must be whole numbers");
  if (n == 0) throw bad("there must be at least one shard");
  if (i == 0) throw bad("shards are numbered from 1");
  if (i > n) throw bad("shard " + std::to_string(i) + " of only " + std::to_string(n));
  return ShardSpec{static_cast<int>(i), static_cast<int>(n)};
}

std::vector<std::size_t> shard_indices(const std::vector<std::string>& case_ids, const ShardSpec& shard) {
  if (shard.count < 1 || shard.index < 1 || shard.index > shard.count)
    throw ShardError("shard " + shard.str() + ": expected 1 ≤ i ≤ n");
  // Deal by sorted id rather than by position, so two machines given the same files in another
  // order still agree on who runs what. Ties (the same id twice) keep their original order.
  std::vector<std::size_t> order(case_ids.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return case_id_less(case_ids[a], case_ids[b]); });
  std::vector<std::size_t> mine;
  for (std::size_t k = 0; k < order.size(); ++k)
    if (static_cast<int>(k % static_cast<std::size_t>(shard.count)) == shard.index - 1) mine.push_back(order[k]);
  std::sort(mine.begin(), mine.end());
  return mine;
}

}  // namespace deadpeer::run
