// TextReport: the table `deadpeer run` prints, one row per run, then per case the spread of
// each side's detection time over its repeats.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "report/TextReport.hpp"

namespace deadpeer::report {
namespace {

using observe::Cause;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

run::RunOutcome detected_client(int repeat, double t) {
  run::RunOutcome r;
  r.repeat = repeat;
  r.client = {true, t, Cause::serveralive, "Timeout, server 203.0.113.2 not responding.", 255};
  r.server = {false, std::nullopt, Cause::none, "", std::nullopt};
  return r;
}

run::Results sample() {
  run::Results results;
  run::CaseOutcome a;
  a.id = "blackhole/0";
  a.runs = {detected_client(0, 3.998), detected_client(1, 4.010), detected_client(2, 3.990)};
  run::CaseOutcome b;
  b.id = "blackhole/1";
  run::RunOutcome failed;
  failed.repeat = 0;
  failed.error = "sshd exited before listening";
  b.runs = {failed};
  results.cases = {a, b};
  return results;
}

// Checks that `needles` occur in `line` in this order.
::testing::AssertionResult in_order(const std::string& line, const std::vector<std::string>& needles) {
  size_t pos = 0;
  for (const auto& n : needles) {
    const size_t at = line.find(n, pos);
    if (at == std::string::npos)
      return ::testing::AssertionFailure() << "'" << n << "' not found (in order) in '" << line << "'";
    pos = at + n.size();
  }
  return ::testing::AssertionSuccess();
}

TEST(TextReport, FormatSeconds) {
  EXPECT_EQ(TextReport::format_seconds(3.998), "3.998 s");
  EXPECT_EQ(TextReport::format_seconds(0.0), "0.000 s");
  EXPECT_EQ(TextReport::format_seconds(12.3456), "12.346 s");
  EXPECT_EQ(TextReport::format_seconds(std::nullopt), "—");
}

TEST(TextReport, RowsShowTimeAndCauseOrADash) {
  const std::string out = TextReport::render(sample());
  const auto lines = lines_of(out);
  ASSERT_GE(lines.size(), 5u) << out;
  EXPECT_TRUE(in_order(lines[0], {"case", "run", "client", "cause", "server", "cause"}));
  // First run of blackhole/0: client detected at 3.998 s by serveralive, server never.
  EXPECT_TRUE(in_order(lines[1], {"blackhole/0", "1", "3.998 s", "serveralive", "—", "none"}));
  EXPECT_TRUE(in_order(lines[2], {"blackhole/0", "2", "4.010 s", "serveralive", "—", "none"}));
  EXPECT_TRUE(in_order(lines[3], {"blackhole/0", "3", "3.990 s", "serveralive", "—", "none"}));
  EXPECT_TRUE(in_order(lines[4], {"blackhole/1", "1", "error: sshd exited before listening"}));
}

TEST(TextReport, PerCaseSpreadLines) {
  const std::string out = TextReport::render(sample());
  EXPECT_NE(out.find("blackhole/0:\n"
                     "  client: median 3.998 s (min 3.990, max 4.010), detected 3/3\n"
                     "          model: (no prediction)\n"
                     "  server: never within the horizon (0/3)\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("(interrupted"), std::string::npos) << out;
}

TEST(TextReport, MedianOfAnEvenNumberOfRunsIsTheMean) {
  run::Results results;
  run::CaseOutcome c;
  c.id = "x/0";
  c.runs = {detected_client(0, 3.0), detected_client(1, 5.0), detected_client(2, 4.0), detected_client(3, 1.0)};
  c.runs[3].client.detected = false;  // not detected: not part of the spread
  c.runs[3].client.detect_s.reset();
  c.runs[2].server = {true, 7.25, Cause::clientalive, "Timeout, client not responding", std::nullopt};
  results.cases = {c};
  const std::string out = TextReport::render(results);
  EXPECT_NE(out.find("  client: median 4.000 s (min 3.000, max 5.000), detected 3/4\n"), std::string::npos) << out;
  EXPECT_NE(out.find("  server: median 7.250 s (min 7.250, max 7.250), detected 1/4\n"), std::string::npos) << out;
  // Two detected runs: the median is their mean.
  c.runs = {detected_client(0, 2.0), detected_client(1, 3.0)};
  results.cases = {c};
  EXPECT_NE(TextReport::render(results).find("  client: median 2.500 s (min 2.000, max 3.000), detected 2/2\n"),
            std::string::npos);
}

// A run that errored measured nothing: it is left out of the statistics and counted apart
// (docs/results.md), never summarised as "never within the horizon".
TEST(TextReport, ErroredRunsAreExcludedFromTheSpread) {
  const std::string out = TextReport::render(sample());
  EXPECT_NE(out.find("blackhole/1:\n"
                     "  client: no measurement (1 run(s) failed to measure)\n"
                     "          model: (no prediction)\n"
                     "  server: no measurement (1 run(s) failed to measure)\n"),
            std::string::npos)
      << out;

  run::Results mixed = sample();
  run::RunOutcome failed;
  failed.repeat = 3;
  failed.error = "ssh session not up in time";
  mixed.cases[0].runs.push_back(failed);
  const std::string m = TextReport::render(mixed);
  EXPECT_NE(m.find("blackhole/0:\n"
                   "  client: median 3.998 s (min 3.990, max 4.010), detected 3/3 (1 run(s) failed to measure)\n"
                   "          model: (no prediction)\n"
                   "  server: never within the horizon (0/3) (1 run(s) failed to measure)\n"),
            std::string::npos)
      << m;
}

TEST(TextReport, ModelLineShowsWindowRuleAndAgreement) {
  run::Results results = sample();
  auto& c = results.cases[0];
  c.predicted_client = {3.0, 4.0, Cause::serveralive, "openssh-serveralive", "…"};
  c.predicted_server = {std::nullopt, std::nullopt, Cause::none, "no-mechanism", "…"};
  c.runs[0].client.agrees = true;
  c.runs[1].client.agrees = false;
  c.runs[2].client.agrees = true;
  for (auto& r : c.runs) r.server.agrees = true;
  const std::string out = TextReport::render(results);
  EXPECT_NE(out.find("          model: 3.000–4.000 s serveralive [openssh-serveralive] — DISAGREES in 1/3 runs\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("          model: never none [no-mechanism] — agrees\n"), std::string::npos) << out;
}

TEST(TextReport, InterruptedResultsSayTheyArePartial) {
  run::Results results = sample();
  results.interrupted = true;
  EXPECT_NE(TextReport::render(results).find("(interrupted: results are partial)"), std::string::npos);
}

TEST(TextReport, RunLineForProgress) {
  const auto results = sample();
  EXPECT_TRUE(in_order(TextReport::run_line(results.cases[0], results.cases[0].runs[0]),
                       {"blackhole/0", "run 1", "client", "3.998 s", "serveralive", "server", "—", "none"}));
  EXPECT_TRUE(in_order(TextReport::run_line(results.cases[1], results.cases[1].runs[0]),
                       {"blackhole/1", "run 1", "error: sshd exited before listening"}));
}

}  // namespace
}  // namespace deadpeer::report
