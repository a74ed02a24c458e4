// report/Progress: plain lines when not on a terminal, the live line's content, thread safety.
#include <gtest/gtest.h>

#include <sstream>
#include <thread>

#include "report/Progress.hpp"

namespace deadpeer::report {
namespace {

using namespace std::chrono_literals;

std::vector<scenario::Case> cases(int n, int repeat) {
  std::vector<scenario::Case> out;
  for (int i = 0; i < n; ++i) {
    scenario::Case c;
    c.id = "blackhole/" + std::to_string(i);
    c.scenario.repeat = repeat;
    c.scenario.horizon = 20s;
    scenario::FaultSpec f;
    f.kind = "blackhole";
    f.at = 2s;
    c.scenario.faults.push_back(f);
    out.push_back(c);
  }
  return out;
}

run::CaseOutcome outcome(const std::string& id) {
  run::CaseOutcome c;
  c.id = id;
  return c;
}

run::RunOutcome measured(int repeat) {
  run::RunOutcome r;
  r.repeat = repeat;
  r.client.detected = true;
  r.client.detect_s = 3.0;
  return r;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

TEST(Progress, PrintsOneNumberedLinePerRunWhenNotATerminal) {
  std::ostringstream out;
  {
    Progress p(cases(2, 3), out, {false, 4});
    p.run_done(outcome("blackhole/0"), measured(0));
    auto failed = measured(1);
    failed.error = "sshd did not start";
    p.run_done(outcome("blackhole/1"), failed);
  }
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 2u) << out.str();
  EXPECT_EQ(lines[0].rfind("[1/6] blackhole/0", 0), 0u) << lines[0];
  EXPECT_EQ(lines[1].rfind("[2/6] blackhole/1", 0), 0u) << lines[1];
  EXPECT_NE(lines[1].find("sshd did not start"), std::string::npos) << lines[1];
  EXPECT_EQ(out.str().find('\r'), std::string::npos) << "no terminal control in logs";
}

TEST(Progress, StatusLineCountsRunsCasesRunningErrorsAndEta) {
  std::ostringstream out;
  Progress p(cases(2, 2), out, {false, 2});
  EXPECT_NE(p.status_line().find("runs 0/4 · cases 0/2 · 2 running"), std::string::npos) << p.status_line();
  EXPECT_NE(p.status_line().find("ETA ≤"), std::string::npos) << p.status_line();
  p.run_done(outcome("blackhole/0"), measured(0));
  p.run_done(outcome("blackhole/0"), measured(1));
  auto failed = measured(0);
  failed.error = "boom";
  p.run_done(outcome("blackhole/1"), failed);
  const auto s = p.status_line();
  EXPECT_NE(s.find("runs 3/4 · cases 1/2 · 1 running · 1 error"), std::string::npos) << s;
  EXPECT_NE(s.find("ETA ~"), std::string::npos) << s;
  EXPECT_NE(s.find("last blackhole/1"), std::string::npos) << s;
  p.run_done(outcome("blackhole/1"), measured(1));
  EXPECT_NE(p.status_line().find("done"), std::string::npos) << p.status_line();
}

TEST(Progress, RunningIsExactWhenStartsAreReported) {
  std::ostringstream out;
  Progress p(cases(4, 1), out, {false, 8});
  p.run_started();
  EXPECT_NE(p.status_line().find("1 running"), std::string::npos) << p.status_line();
}

TEST(Progress, LiveLineIsRedrawnInPlaceAndEndedByFinish) {
  std::ostringstream out;
  Progress p(cases(1, 2), out, {true, 2, 60, 10ms});
  p.run_done(outcome("blackhole/0"), measured(0));
  p.finish();
  p.finish();  // idempotent
  const auto text = out.str();
  EXPECT_NE(text.find("\r\x1b[2K"), std::string::npos);
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(lines_of(text).size(), 1u) << "only the live line, redrawn: " << text;
}

TEST(Progress, ManyWorkerThreadsReportingAtOnce) {
  std::ostringstream out;
  constexpr int kThreads = 8, kEach = 50;
  {
    Progress p(cases(kThreads, kEach), out, {false, kThreads});
    std::vector<std::thread> workers;
    for (int t = 0; t < kThreads; ++t)
      workers.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) p.run_done(outcome("blackhole/" + std::to_string(t)), measured(i));
      });
    for (auto& w : workers) w.join();
    EXPECT_NE(p.status_line().find("cases 8/8"), std::string::npos) << p.status_line();
  }
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kEach));
  for (const auto& l : lines) EXPECT_EQ(l.rfind("[", 0), 0u) << "interleaved output: " << l;
  EXPECT_EQ(lines.back().rfind("[400/400]", 0), 0u) << lines.back();
}

}  // namespace
}  // namespace deadpeer::report
