// `deadpeer report` and `deadpeer compare`, driven through their CLI11 registration in-process:
// exit codes (0 ok, 1 --check with a failed gate, 2 bad results file, 3 no Chart.js), messages
// that name the file, and the files they write.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "cli/CompareCommand.hpp"
#include "cli/ReportCommand.hpp"
#include "reports_test_support.hpp"

namespace deadpeer::cli {
namespace {

using namespace deadpeer::testing;
namespace fs = std::filesystem;

struct Outcome {
  int code = -1;
  std::string out, err;
};

// Parses `args` as `deadpeer <args>` with only the report and compare verbs registered.
Outcome run_cli(const std::string& args) {
  CLI::App app{"deadpeer"};
  app.require_subcommand(1);
  const Command report = add_report_command(app);
  const Command compare = add_compare_command(app);
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  Outcome o;
  try {
    app.parse(args, false);
    o.code = *report.app ? report.run() : compare.run();
  } catch (const CLI::ParseError& e) {
    o.code = kBadInput;
  }
  o.out = ::testing::internal::GetCapturedStdout();
  o.err = ::testing::internal::GetCapturedStderr();
  return o;
}

class ReportCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("deadpeer-report-cli-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(ReportCli, MissingFileIsBadInput) {
  const auto o = run_cli("report " + path("nope.json"));
  EXPECT_EQ(o.code, kBadInput);
  EXPECT_EQ(o.err, "deadpeer report: cannot open results file " + path("nope.json") +
                       " for reading: No such file or directory\n");
}

TEST_F(ReportCli, BrokenJsonSaysWhere) {
  std::ofstream(path("bad.json")) << "{\n  \"schema\": 1,\n  \"cases\": [,]\n}\n";
  const auto o = run_cli("report " + path("bad.json"));
  EXPECT_EQ(o.code, kBadInput);
  EXPECT_TRUE(o.err.starts_with("deadpeer report: " + path("bad.json") + ":3:13: not valid JSON: ")) << o.err;
}

TEST_F(ReportCli, JsonThatIsNotResultsIsBadInput) {
  std::ofstream(path("other.json")) << R"({"name": "package.json, not results"})";
  EXPECT_EQ(run_cli("report " + path("other.json")).code, kBadInput);
  std::ofstream(path("newer.json")) << R"({"schema": 99, "cases": []})";
  const auto o = run_cli("report " + path("newer.json"));
  EXPECT_EQ(o.code, kBadInput);
  EXPECT_NE(o.err.find("results schema 99 is newer than this deadpeer reads (1)"), std::string::npos) << o.err;
  std::ofstream(path("typed.json")) << R"({"schema": 1, "environment": {}, "cases": [{"id": "a", "settings": {}, "runs": [{"repeat": "x"}]}]})";
  EXPECT_EQ(run_cli("report " + path("typed.json")).code, kBadInput);
}

TEST_F(ReportCli, WritesEveryFormat) {
  ::unsetenv("DEADPEER_CHARTJS");
  if (::access("/usr/share/javascript/chart.js/chart.min.js", R_OK) != 0) GTEST_SKIP() << "libjs-chart.js not installed";
  const auto o = run_cli("report " + kFixture + " --html " + path("r.html") + " --markdown " + path("r.md") +
                         " --junit " + path("r.xml"));
  EXPECT_EQ(o.code, kOk) << o.err;
  EXPECT_NE(slurp(path("r.html")).find("Chart.js v"), std::string::npos);
  EXPECT_TRUE(slurp(path("r.md")).starts_with("## deadpeer: 2 case(s)"));
  EXPECT_TRUE(slurp(path("r.xml")).starts_with("<?xml"));
  // Nothing but the three reports is left in the directory (no temporary files).
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 3);
}

TEST_F(ReportCli, WithoutFlagsPrintsTheTableAndTheVerdicts) {
  const auto o = run_cli("report " + kFixture);
  EXPECT_EQ(o.code, kOk);
  EXPECT_NE(o.out.find("blackhole/1:\n  client: median 17.302 s"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("expect violated: blackhole[ServerAliveInterval=5]: client detected in 21.204 s"),
            std::string::npos)
      << o.out;
}

TEST_F(ReportCli, CheckFailsOnAViolatedExpectation) {
  EXPECT_EQ(run_cli("report --check " + kFixture + " --markdown " + path("r.md")).code, kFailed);
  EXPECT_TRUE(fs::exists(path("r.md")));  // the report is still written
}

TEST_F(ReportCli, MissingChartJsCannotRunAndWritesNothing) {
  ::setenv("DEADPEER_CHARTJS", "/nonexistent/chart.min.js", 1);
  const auto o = run_cli("report " + kFixture + " --markdown " + path("r.md") + " --html " + path("r.html"));
  ::unsetenv("DEADPEER_CHARTJS");
  EXPECT_EQ(o.code, kCannotRun);
  EXPECT_NE(o.err.find("libjs-chart.js"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(path("r.md")));
  EXPECT_FALSE(fs::exists(path("r.html")));
}

TEST_F(ReportCli, UnwritableOutputFails) {
  const auto o = run_cli("report " + kFixture + " --markdown " + path("no/such/dir/r.md"));
  EXPECT_EQ(o.code, kFailed);
  EXPECT_NE(o.err.find("cannot write the Markdown report to " + path("no/such/dir/r.md")), std::string::npos) << o.err;
}

TEST_F(ReportCli, CompareTwoFiles) {
  auto doc = nlohmann::json::parse(slurp(kFixture));
  doc["run_id"] = "later";
  doc["cases"].erase(0);
  std::ofstream(path("new.json")) << doc.dump();
  const auto o = run_cli("compare " + kFixture + " " + path("new.json") + " --markdown " + path("cmp.md"));
  EXPECT_EQ(o.code, kOk) << o.err;
  EXPECT_NE(o.out.find("blackhole/1  client  17.302 s (3/3)"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("only in " + kFixture + ": blackhole/0"), std::string::npos) << o.out;
  EXPECT_NE(slurp(path("cmp.md")).find("## deadpeer compare"), std::string::npos);
  EXPECT_EQ(run_cli("compare " + kFixture + " " + path("missing.json")).code, kBadInput);
}

}  // namespace
}  // namespace deadpeer::cli
