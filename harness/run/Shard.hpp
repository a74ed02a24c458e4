#pragma once
// `deadpeer run --shard i/n`: which of the expanded cases this machine runs, so N machines (CI
// jobs, pods) can split one suite and `deadpeer merge` can put the results back together.
//
// Pure and deterministic: membership depends only on the case ids, never on the machine, the
// order files were named in, or the time. Cases are sorted by id and dealt round-robin, so every
// case lands in exactly one shard, shard sizes differ by at most one, and the cases of one
// scenario (which share a horizon, hence a duration) spread over all shards instead of
// piling into one.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace deadpeer::run {

struct ShardSpec {
  int index = 1;  // 1-based, like CI_NODE_INDEX and jest/playwright's --shard
  int count = 1;
  std::string str() const { return std::to_string(index) + "/" + std::to_string(count); }
};

// A malformed or impossible --shard value; the message says what was given and what is expected.
class ShardError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Parses "i/n" with 1 ≤ i ≤ n: "2/4" → {2, 4}. Throws ShardError for "3/2", "0/0", "0/3", "a/b", "2".
ShardSpec parse_shard(const std::string& text);

// Order of case ids by scenario, then index: "name/2" before "name/10" (shards and merged files).
bool case_id_less(const std::string& a, const std::string& b);

// Positions (into `case_ids`, ascending) of the cases that belong to `shard`.
std::vector<std::size_t> shard_indices(const std::vector<std::string>& case_ids, const ShardSpec& shard);

// The cases of `shard`, in their original order. Works on any type with an `id` member.
template <typename CaseT>
std::vector<CaseT> select_shard(const std::vector<CaseT>& cases, const ShardSpec& shard) {
  std::vector<std::string> ids;
  ids.reserve(cases.size());
  for (const auto& c : cases) ids.push_back(c.id);
  std::vector<CaseT> out;
  for (std::size_t i : shard_indices(ids, shard)) out.push_back(cases[i]);
  return out;
}

}  // namespace deadpeer::run
