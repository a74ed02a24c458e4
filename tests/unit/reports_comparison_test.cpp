// report/Comparison: Mann–Whitney U against values worked by hand, matching by id, the change
// and significance texts, and the honest "too few runs" answer for small repeats.
#include <gtest/gtest.h>

#include <limits>

#include "report/Comparison.hpp"
#include "reports_test_support.hpp"

namespace deadpeer::report {
namespace {

using namespace deadpeer::testing;
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(MannWhitney, SeparatedSamplesReachTheSmallestP) {
  const auto t = mann_whitney({1, 2, 3}, {4, 5, 6});
  EXPECT_TRUE(t.exact);
  EXPECT_DOUBLE_EQ(t.u, 0);
  EXPECT_NEAR(t.p, 0.1, 1e-12);  // 2 of C(6,3) = 20 arrangements are as extreme
  EXPECT_NEAR(smallest_p(3, 3), 0.1, 1e-12);
  EXPECT_NEAR(mann_whitney({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}).p, 2.0 / 252.0, 1e-12);
  EXPECT_NEAR(mann_whitney({6, 7, 8, 9, 10}, {1, 2, 3, 4, 5}).p, 2.0 / 252.0, 1e-12);  // two-sided
}

TEST(MannWhitney, OverlapTiesAndNeverDetected) {
  // U = 3 for {1,3,5} vs {2,4,6}; of the 20 arrangements, 14 have |U - 4.5| >= 1.5.
  EXPECT_NEAR(mann_whitney({1, 3, 5}, {2, 4, 6}).p, 0.7, 1e-12);
  EXPECT_DOUBLE_EQ(mann_whitney({1, 3, 5}, {2, 4, 6}).u, 3);
  EXPECT_NEAR(mann_whitney({2, 2}, {2, 2}).p, 1.0, 1e-12);
  // Not detected (+inf) ranks after every detection.
  EXPECT_NEAR(mann_whitney({3, 3.1, 3.2}, {kInf, kInf, kInf}).p, 0.1, 1e-12);
  EXPECT_DOUBLE_EQ(mann_whitney({}, {1}).p, 1.0);
}

TEST(MannWhitney, LargeSamplesUseTheNormalApproximation) {
  std::vector<double> a, b;
  for (int i = 1; i <= 15; ++i) a.push_back(i), b.push_back(i + 15);
  const auto t = mann_whitney(a, b);
  EXPECT_FALSE(t.exact);
  EXPECT_LT(t.p, 1e-5);
  EXPECT_GT(t.p, 1e-7);
  b = a;
  EXPECT_GT(mann_whitney(a, b).p, 0.9);
}

TEST(Comparison, MatchesByIdAndListsTheRest) {
  run::Results old_r, new_r;
  old_r.run_id = "old1";
  new_r.run_id = "new1";
  old_r.cases = {case_of("bh/0", "bh", 1, {run_of(0, 3.0, 4.0), run_of(1, 3.1, 4.0), run_of(2, 3.2, 4.0)}),
                 case_of("gone/0", "gone", 1, {run_of(0, 1.0, 1.0)})};
  new_r.cases = {case_of("bh/0", "bh", 1, {run_of(0, 4.0, 4.0), run_of(1, 4.1, 4.0), run_of(2, 4.2, std::nullopt)}),
                 case_of("new/0", "new", 1, {run_of(0, 1.0, 1.0)})};
  const auto c = Comparison::of(old_r, new_r);
  ASSERT_EQ(c.matched.size(), 1u);
  EXPECT_EQ(c.only_old, std::vector<std::string>{"gone/0"});
  EXPECT_EQ(c.only_new, std::vector<std::string>{"new/0"});
  const auto& client = c.matched[0].client;
  EXPECT_EQ(client.change, "+1.000 s (+32.3 %)");
  EXPECT_EQ(client.verdict, "not significant (n=3+3: too few runs, p ≥ 0.10 at best)");
  EXPECT_FALSE(client.significant);
  EXPECT_EQ(c.matched[0].server.change, "+0.000 s (+0.0 %), detected 3/3 → 2/3");
  EXPECT_FALSE(c.matched[0].settings_differ);

  const std::string text = c.text("a.json", "b.json");
  EXPECT_NE(text.find("bh/0  client  3.100 s (3/3)         4.100 s (3/3)         +1.000 s (+32.3 %)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("only in a.json: gone/0\n"), std::string::npos);
  EXPECT_NE(text.find("only in b.json: new/0\n"), std::string::npos);
  const std::string md = c.markdown("a.json", "b.json");
  EXPECT_NE(md.find("| bh/0 | client | 3.100 s (3/3) | 4.100 s (3/3) | +1.000 s (+32.3 %) |"), std::string::npos) << md;
}

TEST(Comparison, EnoughRepeatsMakeAShiftSignificant) {
  std::vector<run::RunOutcome> before, after;
  for (int i = 0; i < 6; ++i) {
    before.push_back(run_of(i, 3.0 + 0.01 * i, 4.0));
    after.push_back(run_of(i, 5.0 + 0.01 * i, 4.0 + 0.01 * i));
  }
  run::Results old_r, new_r;
  old_r.cases = {case_of("bh/0", "bh", 1, before)};
  new_r.cases = {case_of("bh/0", "bh", 2, after)};
  const auto c = Comparison::of(old_r, new_r);
  ASSERT_EQ(c.matched.size(), 1u);
  EXPECT_TRUE(c.matched[0].client.significant);
  EXPECT_EQ(c.matched[0].client.verdict, "significant (p=0.002, n=6+6)");
  EXPECT_TRUE(c.matched[0].settings_differ);
  EXPECT_NE(c.text("a", "b").find("settings differ"), std::string::npos);
}

}  // namespace
}  // namespace deadpeer::report
