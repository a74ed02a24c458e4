// run/Shard: `--shard i/n` parsing and the split of cases into shards.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "run/Shard.hpp"

namespace deadpeer::run {
namespace {

std::vector<std::string> ids(const std::string& scenario, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(scenario + "/" + std::to_string(i));
  return out;
}

TEST(ShardParse, AcceptsOneBasedIndexWithinCount) {
  const auto s = parse_shard("2/4");
  EXPECT_EQ(s.index, 2);
  EXPECT_EQ(s.count, 4);
  EXPECT_EQ(s.str(), "2/4");
  EXPECT_EQ(parse_shard("1/1").count, 1);
  EXPECT_EQ(parse_shard("4/4").index, 4);
}

TEST(ShardParse, RejectsImpossibleAndMalformedValues) {
  for (const char* bad : {"3/2", "0/0", "0/3", "1/0", "2", "/2", "2/", "a/b", "-1/2", "1/-2", "1.5/2", " 1/2",
                          "1/2x", "1//2", "", "99999999999/2"})
    EXPECT_THROW(parse_shard(bad), ShardError) << bad;
}

TEST(ShardParse, ErrorSaysWhatWasGivenAndWhatIsExpected) {
  try {
    parse_shard("3/2");
    FAIL();
  } catch (const ShardError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("3/2"), std::string::npos) << m;
    EXPECT_NE(m.find("1 ≤ i ≤ n"), std::string::npos) << m;
  }
  try {
    parse_shard("0/0");
    FAIL();
  } catch (const ShardError& e) {
    EXPECT_NE(std::string(e.what()).find("at least one shard"), std::string::npos) << e.what();
  }
}

TEST(ShardSplit, EveryCaseIsInExactlyOneShard) {
  auto all = ids("blackhole", 23);
  const auto more = ids("firewall", 9);
  all.insert(all.end(), more.begin(), more.end());
  for (int n : {1, 2, 3, 5, 8, 32, 40}) {
    std::vector<int> seen(all.size(), 0);
    std::size_t smallest = all.size(), largest = 0;
    for (int i = 1; i <= n; ++i) {
      const auto mine = shard_indices(all, {i, n});
      EXPECT_TRUE(std::is_sorted(mine.begin(), mine.end()));
      for (auto k : mine) ++seen[k];
      smallest = std::min(smallest, mine.size());
      largest = std::max(largest, mine.size());
    }
    for (std::size_t k = 0; k < all.size(); ++k) EXPECT_EQ(seen[k], 1) << all[k] << " with n=" << n;
    EXPECT_LE(largest - smallest, 1u) << "n=" << n;  // balanced
  }
}

TEST(ShardSplit, DoesNotDependOnTheOrderCasesCameIn) {
  auto forward = ids("a", 7);
  const auto b = ids("b", 5);
  forward.insert(forward.end(), b.begin(), b.end());
  auto backward = forward;
  std::reverse(backward.begin(), backward.end());
  for (int i = 1; i <= 3; ++i) {
    std::set<std::string> x, y;
    for (auto k : shard_indices(forward, {i, 3})) x.insert(forward[k]);
    for (auto k : shard_indices(backward, {i, 3})) y.insert(backward[k]);
    EXPECT_EQ(x, y) << "shard " << i;
  }
}

TEST(ShardSplit, SpreadsOneScenarioOverAllShards) {
  // Round-robin by id: a/0 a/1 a/2 a/3 go to shards 1 2 1 2, not 1 1 2 2.
  const auto all = ids("a", 4);
  EXPECT_EQ(shard_indices(all, {1, 2}), (std::vector<std::size_t>{0, 2}));
  EXPECT_EQ(shard_indices(all, {2, 2}), (std::vector<std::size_t>{1, 3}));
}

TEST(ShardSplit, OrdersIdsNumerically) {
  EXPECT_TRUE(case_id_less("a/2", "a/10"));
  EXPECT_FALSE(case_id_less("a/10", "a/2"));
  EXPECT_TRUE(case_id_less("a/9", "b/0"));
  // With 11 cases and 10 shards, shard 1 gets a/0 and a/10 (the 1st and 11th in id order).
  EXPECT_EQ(shard_indices(ids("a", 11), {1, 10}), (std::vector<std::size_t>{0, 10}));
}

TEST(ShardSplit, MoreShardsThanCasesLeavesSomeEmpty) {
  const auto all = ids("a", 2);
  EXPECT_EQ(shard_indices(all, {1, 4}).size(), 1u);
  EXPECT_EQ(shard_indices(all, {3, 4}).size(), 0u);
  EXPECT_TRUE(shard_indices({}, {1, 1}).empty());
}

TEST(ShardSplit, RejectsASpecThatWasNotParsed) {
  EXPECT_THROW(shard_indices(ids("a", 3), {3, 2}), ShardError);
  EXPECT_THROW(shard_indices(ids("a", 3), {0, 0}), ShardError);
}

TEST(ShardSplit, SelectKeepsTheOriginalOrder) {
  struct C {
    std::string id;
  };
  const std::vector<C> cases{{"b/0"}, {"a/1"}, {"a/0"}, {"b/1"}};
  // Sorted: a/0 a/1 b/0 b/1 → shard 1 of 2 holds a/0 and b/0, returned as listed: b/0, a/0.
  const auto mine = select_shard(cases, {1, 2});
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].id, "b/0");
  EXPECT_EQ(mine[1].id, "a/0");
}

}  // namespace
}  // namespace deadpeer::run
