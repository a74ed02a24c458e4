// run/Statistics: quantiles, per-side spread over the repeats, the most common cause, the
// JSON under cases[].stats, and the case labels reports use.
#include <gtest/gtest.h>

#include "reports_test_support.hpp"
#include "run/Statistics.hpp"

namespace deadpeer::run {
namespace {

using namespace deadpeer::testing;
using observe::Cause;

TEST(Statistics, QuantileInterpolatesBetweenClosestRanks) {
  EXPECT_DOUBLE_EQ(quantile({4.0}, 0.95), 4.0);
  EXPECT_DOUBLE_EQ(quantile({1.0, 2.0, 3.0}, 0.5), 2.0);
  EXPECT_DOUBLE_EQ(quantile({1.0, 2.0, 3.0, 4.0}, 0.5), 2.5);
  // p95 of 3 values: position 0.95 × 2 = 1.9, between the 2nd and the 3rd.
  EXPECT_NEAR(quantile({1.0, 2.0, 3.0}, 0.95), 2.9, 1e-12);
  EXPECT_DOUBLE_EQ(quantile({1.0, 2.0, 3.0}, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(quantile({1.0, 2.0, 3.0}, 1.0), 3.0);
}

TEST(Statistics, SpreadIsOverDetectedRunsAndErrorsAreLeftOut) {
  const CaseOutcome c = case_of("b/0", "b", 1,
                                {run_of(0, 4.0, std::nullopt, true), run_of(1, 3.0, 7.0, false),
                                 failed_run(2, "sshd exited before listening"), run_of(3, 5.0, std::nullopt, true)});
  const CaseStats s = case_stats(c);
  EXPECT_EQ(s.runs, 4);
  EXPECT_EQ(s.errors, 1);
  EXPECT_EQ(s.client.measured, 3);
  EXPECT_EQ(s.client.detected, 3);
  EXPECT_DOUBLE_EQ(*s.client.min_s, 3.0);
  EXPECT_DOUBLE_EQ(*s.client.median_s, 4.0);
  EXPECT_NEAR(*s.client.p95_s, 4.9, 1e-12);
  EXPECT_DOUBLE_EQ(*s.client.max_s, 5.0);
  EXPECT_EQ(s.client.cause, Cause::serveralive);
  EXPECT_EQ(s.client.cause_count, 3);
  EXPECT_EQ(s.client.judged, 3);
  EXPECT_EQ(s.client.disagreed, 1);

  EXPECT_EQ(s.server.measured, 3);
  EXPECT_EQ(s.server.detected, 1);
  EXPECT_DOUBLE_EQ(*s.server.median_s, 7.0);
  // Two of three runs never noticed: the most common cause is `none`.
  EXPECT_EQ(s.server.cause, Cause::none);
  EXPECT_EQ(s.server.cause_count, 2);
  EXPECT_EQ(s.server.judged, 0);
}

TEST(Statistics, NothingDetectedHasNoTimes) {
  const CaseOutcome c = case_of("b/0", "b", 1, {run_of(0, std::nullopt, std::nullopt)});
  const SideStats s = side_stats(c, true);
  EXPECT_EQ(s.detected, 0);
  EXPECT_FALSE(s.median_s);
  EXPECT_FALSE(s.p95_s);
  EXPECT_EQ(s.cause, Cause::none);
}

TEST(Statistics, CauseTiesGoToACauseThatEndedTheSession) {
  CaseOutcome c = case_of("b/0", "b", 1, {run_of(0, std::nullopt, 1.0), run_of(1, 2.0, 1.0)});
  c.runs[1].client.cause = Cause::tcp_keepalive;
  EXPECT_EQ(side_stats(c, true).cause, Cause::tcp_keepalive);  // 1 none, 1 tcp-keepalive
}

TEST(Statistics, JsonCarriesEveryFieldAndNullsForMissingTimes) {
  const CaseOutcome c = case_of("b/0", "b", 1, {run_of(0, 3.5, std::nullopt), failed_run(1, "boom")});
  const auto j = stats_to_json(c);
  EXPECT_EQ(j.at("runs"), 2);
  EXPECT_EQ(j.at("errors"), 1);
  EXPECT_EQ(j.at("client").at("median_s"), 3.5);
  EXPECT_EQ(j.at("client").at("detected"), 1);
  EXPECT_EQ(j.at("client").at("measured"), 1);
  EXPECT_EQ(j.at("client").at("cause"), "serveralive");
  EXPECT_TRUE(j.at("server").at("median_s").is_null());
  EXPECT_TRUE(j.at("server").at("p95_s").is_null());
  EXPECT_EQ(j.at("server").at("cause"), "none");
}

TEST(Statistics, LabelsNameTheSettingsThatVaryWithinAScenario) {
  Results r;
  r.cases = {case_of("bh/0", "bh", 1, {}), case_of("bh/1", "bh", 5, {}), case_of("solo/0", "solo", 1, {})};
  const auto labels = case_labels(r);
  EXPECT_EQ(labels.at("bh/0"), "bh[ServerAliveInterval=1]");
  EXPECT_EQ(labels.at("bh/1"), "bh[ServerAliveInterval=5]");
  EXPECT_EQ(labels.at("solo/0"), "solo");
  EXPECT_EQ(varying_text(r).at("solo/0"), "");
}

TEST(Statistics, LabelsKeepThePrefixWhenShortNamesWouldCollide) {
  Results r;
  r.cases = {case_of("k/0", "k", 1, {}), case_of("k/1", "k", 1, {})};
  r.cases[0].settings["client.TCPKeepAlive"] = true;
  r.cases[0].settings["server.TCPKeepAlive"] = false;
  r.cases[1].settings["client.TCPKeepAlive"] = false;
  r.cases[1].settings["server.TCPKeepAlive"] = true;
  EXPECT_EQ(case_labels(r).at("k/0"), "k[client.TCPKeepAlive=yes,server.TCPKeepAlive=no]");
}

TEST(Statistics, CasesThatDifferInNothingAreLabelledByTheirId) {
  Results r;
  r.cases = {case_of("same/0", "same", 1, {}), case_of("same/1", "same", 1, {})};
  EXPECT_EQ(case_labels(r).at("same/1"), "same/1");
}

TEST(Statistics, FixtureMediansMatchTheRuns) {
  const auto loaded = fixture();
  ASSERT_EQ(loaded.results.cases.size(), 2u);
  const CaseStats s = case_stats(loaded.results.cases[1]);
  EXPECT_DOUBLE_EQ(*s.client.median_s, 17.302);
  EXPECT_DOUBLE_EQ(*s.client.max_s, 21.204);
  EXPECT_EQ(s.client.disagreed, 1);
}

}  // namespace
}  // namespace deadpeer::run
