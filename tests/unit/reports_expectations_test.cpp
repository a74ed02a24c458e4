// run/Expectations: each [expect] key judged over the measured runs of a case, with a message
// that names the case, the bound and the measurement; JSON round trip; gate counting.
#include <gtest/gtest.h>

#include "reports_test_support.hpp"
#include "run/Expectations.hpp"

namespace deadpeer::run {
namespace {

using namespace deadpeer::testing;
using State = Verdict::State;
using std::chrono::seconds;

scenario::Expectations client_max(seconds s) {
  scenario::Expectations e;
  e.client_detect_max = s;
  return e;
}

TEST(Expectations, DetectMaxHoldsWhenEveryRunIsWithinTheBound) {
  const auto c = case_of("bh/1", "bh", 5, {run_of(0, 12.0, 3.0), run_of(1, 14.5, 3.0)});
  const auto v = evaluate(c, client_max(seconds(15)), "bh[ServerAliveInterval=5]");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].name, "client_detect_max");
  EXPECT_EQ(v[0].bound, "15s");
  EXPECT_EQ(v[0].state, State::held);
  EXPECT_EQ(v[0].message, "bh[ServerAliveInterval=5]: client detected in 14.5 s <= client_detect_max 15s (slowest of 2 runs)");
}

TEST(Expectations, DetectMaxViolationNamesTheCaseTheBoundAndTheSlowestRun) {
  const auto c = case_of("bh/1", "bh", 5, {run_of(0, 12.0, 3.0), run_of(1, 17.3, 3.0), run_of(2, 16.0, 3.0)});
  const auto v = evaluate(c, client_max(seconds(15)), "bh[ServerAliveInterval=5]");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].state, State::violated);
  EXPECT_EQ(v[0].message,
            "bh[ServerAliveInterval=5]: client detected in 17.3 s > client_detect_max 15s (run 2, 2 of 3 runs over)");
}

TEST(Expectations, NeverDetectingViolatesADetectBound) {
  const auto c = case_of("bh/0", "bh", 1, {run_of(0, 3.0, std::nullopt), run_of(1, 3.0, 4.0)});
  scenario::Expectations e;
  e.server_detect_max = seconds(20);
  const auto v = evaluate(c, e, "bh");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].state, State::violated);
  EXPECT_EQ(v[0].message, "bh: server did not detect within the horizon in 1 of 2 runs (run 1) > server_detect_max 20s");
}

TEST(Expectations, RunsThatErroredAreLeftOutAndNoMeasurementIsUnknown) {
  const auto some = case_of("bh/0", "bh", 1, {failed_run(0, "lab failed"), run_of(1, 3.0, 4.0)});
  EXPECT_EQ(evaluate(some, client_max(seconds(5)), "bh")[0].state, State::held);
  const auto none = case_of("bh/0", "bh", 1, {failed_run(0, "lab failed")});
  const auto v = evaluate(none, client_max(seconds(5)), "bh");
  EXPECT_EQ(v[0].state, State::unknown);
  EXPECT_EQ(v[0].message, "bh: client_detect_max 5s not judged: no run measured");
}

TEST(Expectations, SurvivesTrueFailsWhenEitherSideEndedTheSession) {
  scenario::Expectations e;
  e.survives = true;
  const auto quiet = case_of("flap/0", "flap", 1, {run_of(0, std::nullopt, std::nullopt)});
  EXPECT_EQ(evaluate(quiet, e, "flap")[0].state, State::held);
  const auto ended = case_of("flap/0", "flap", 1, {run_of(0, std::nullopt, std::nullopt), run_of(1, std::nullopt, 6.25)});
  const auto v = evaluate(ended, e, "flap");
  EXPECT_EQ(v[0].state, State::violated);
  EXPECT_EQ(v[0].message, "flap: the session ended in 1 of 2 runs: server detected at 6.25 s (clientalive) in run 2; survives = true");
}

TEST(Expectations, SurvivesFalseFailsWhenNobodyNoticed) {
  scenario::Expectations e;
  e.survives = false;
  const auto c = case_of("bh/0", "bh", 1, {run_of(0, 3.0, std::nullopt), run_of(1, std::nullopt, std::nullopt)});
  const auto v = evaluate(c, e, "bh");
  EXPECT_EQ(v[0].state, State::violated);
  EXPECT_EQ(v[0].message, "bh: neither side detected within the horizon in 1 of 2 runs (run 2); survives = false");
}

TEST(Expectations, CauseMustMatchInEveryRun) {
  scenario::Expectations e;
  e.client_cause = "serveralive";
  e.server_cause = "tcp-keepalive";
  const auto c = case_of("bh/0", "bh", 1, {run_of(0, 3.0, 4.0)});
  const auto v = evaluate(c, e, "bh");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].state, State::held);
  EXPECT_EQ(v[1].state, State::violated);
  EXPECT_EQ(v[1].message, "bh: server cause was clientalive in run 1 (1 of 1 runs) != server_cause tcp-keepalive");
}

TEST(Expectations, AgreesWithModelCountsSideRunsWithAVerdict) {
  scenario::Expectations e;
  e.agrees_with_model = true;
  const auto c = case_of("bh/1", "bh", 5, {run_of(0, 16.0, 3.0, true), run_of(1, 21.2, 3.0, false)});
  const auto v = evaluate(c, e, "bh");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].state, State::violated);
  EXPECT_EQ(v[0].message,
            "bh: measurement disagrees with the model in 1 of 2 side-runs (run 2 client: 21.2 s serveralive vs "
            "predicted 15.000-20.000 s serveralive); agrees_with_model = true");
  // `false` asks for nothing.
  e.agrees_with_model = false;
  EXPECT_TRUE(evaluate(c, e, "bh").empty());
}

TEST(Expectations, JsonRoundTripKeepsEveryKey) {
  scenario::Expectations e;
  e.client_detect_max = std::chrono::milliseconds(1500);
  e.server_detect_max = seconds(30);
  e.survives = false;
  e.client_cause = "serveralive";
  e.server_cause = "none";
  e.agrees_with_model = true;
  const auto j = expectations_to_json(e);
  EXPECT_EQ(j.at("client_detect_max_ms"), 1500);
  const auto back = expectations_from_json(j);
  EXPECT_EQ(back.client_detect_max, e.client_detect_max);
  EXPECT_EQ(back.server_detect_max, e.server_detect_max);
  EXPECT_EQ(back.survives, e.survives);
  EXPECT_EQ(back.client_cause, e.client_cause);
  EXPECT_EQ(back.server_cause, e.server_cause);
  EXPECT_EQ(back.agrees_with_model, e.agrees_with_model);
  EXPECT_TRUE(expectations_to_json(scenario::Expectations{}).empty());
}

TEST(Expectations, AnnotatedResultsJsonReadsBackAndCountsViolations) {
  Results r;
  r.cases = {case_of("bh/0", "bh", 1, {run_of(0, 3.5, 4.0)}), case_of("bh/1", "bh", 5, {run_of(0, 17.3, 4.0)}),
             case_of("free/0", "free", 1, {run_of(0, 1.0, 1.0)})};
  const ExpectationsById expect{{"bh/0", client_max(seconds(15))}, {"bh/1", client_max(seconds(15))}};
  nlohmann::json doc = to_json(r);
  add_expectations_to_json(doc, r, expect);
  EXPECT_EQ(doc["cases"][1]["expectations"][0]["state"], "violated");
  EXPECT_EQ(doc["cases"][1]["expectations"][0]["message"],
            "bh[ServerAliveInterval=5]: client detected in 17.3 s > client_detect_max 15s (run 1, 1 of 1 runs over)");
  EXPECT_FALSE(doc["cases"][2].contains("expect"));
  const auto back = expectations_from_results_json(doc);
  EXPECT_EQ(back.size(), 2u);
  EXPECT_EQ(back.at("bh/1").client_detect_max, seconds(15));
  EXPECT_EQ(count_violated(evaluate_all(r, back)), 1);
}

TEST(Expectations, FixtureHasOneViolation) {
  const auto loaded = fixture();
  const auto verdicts = evaluate_all(loaded.results, loaded.expect);
  EXPECT_EQ(count_violated(verdicts), 1);
  EXPECT_EQ(verdicts.at("blackhole/1")[0].message,
            "blackhole[ServerAliveInterval=5]: client detected in 21.204 s > client_detect_max 15s (run 3, 3 of 3 runs over)");
}

}  // namespace
}  // namespace deadpeer::run
