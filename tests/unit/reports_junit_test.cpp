// JunitReport: one testsuite per scenario, one testcase per case and per expectation; a run
// error is an <error>, a violated expectation a <failure>, an unjudged one <skipped>, and a
// disagreement with the model only a property. The XML is well-formed (checked with xmllint
// when it is installed) whatever bytes the logs held.
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "report/JunitReport.hpp"
#include "reports_test_support.hpp"

extern char** environ;

namespace deadpeer::report {
namespace {

using namespace deadpeer::testing;

// xmllint --noout FILE: 0 when well-formed. nullopt when xmllint is not installed.
std::optional<int> xmllint(const std::string& xml) {
  if (::access("/usr/bin/xmllint", X_OK) != 0) return std::nullopt;
  const auto path = std::filesystem::temp_directory_path() / ("deadpeer-junit-" + std::to_string(::getpid()) + ".xml");
  std::ofstream(path) << xml;
  const std::string file = path.string();
  const char* argv[] = {"/usr/bin/xmllint", "--noout", file.c_str(), nullptr};
  pid_t pid = 0;
  int status = -1;
  if (::posix_spawn(&pid, argv[0], nullptr, nullptr, const_cast<char**>(argv), environ) == 0) ::waitpid(pid, &status, 0);
  std::filesystem::remove(path);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(JunitReport, FixtureCountsAndVerdicts) {
  const auto loaded = fixture();
  const std::string xml = JunitReport::render(Summary::of(loaded.results, loaded.expect));
  EXPECT_TRUE(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"deadpeer\" tests=\"6\" "
                              "failures=\"1\" errors=\"0\" skipped=\"0\""))
      << xml.substr(0, 300);
  EXPECT_EQ(count_of(xml, "<testsuite "), 1u);
  EXPECT_EQ(count_of(xml, "<testcase "), 6u);  // 2 cases + 2 × 2 expectations
  EXPECT_EQ(count_of(xml, "<failure "), 1u);
  EXPECT_EQ(count_of(xml, "<error "), 0u);
  EXPECT_NE(xml.find("<testcase classname=\"deadpeer.blackhole.expect\" name=\"blackhole[ServerAliveInterval=5]: "
                     "client_detect_max 15s\" time=\"0\">\n      <failure type=\"expectation\" message=\"blackhole"
                     "[ServerAliveInterval=5]: client detected in 21.204 s &gt; client_detect_max 15s (run 3, 3 of 3 "
                     "runs over)\">"),
            std::string::npos)
      << xml;
  // The model's disagreement is a property, not a failure.
  EXPECT_NE(xml.find("<property name=\"client.model\" value=\"2/3 inside\"/>"), std::string::npos);
  EXPECT_NE(xml.find("(OUTSIDE the model&#39;s window)"), std::string::npos);
  EXPECT_NE(xml.find("<property name=\"setting.client.ServerAliveInterval\" value=\"5\"/>"), std::string::npos);
  if (auto rc = xmllint(xml)) {
    EXPECT_EQ(*rc, 0) << xml;
  }
}

TEST(JunitReport, RunErrorsAreErrorsAndUnjudgedExpectationsAreSkipped) {
  run::Results r;
  r.cases = {case_of("bh/0", "bh", 1, {failed_run(0, "sshd exited before listening")})};
  scenario::Expectations e;
  e.client_detect_max = std::chrono::seconds(5);
  const std::string xml = JunitReport::render(Summary::of(r, {{"bh/0", e}}));
  EXPECT_NE(xml.find("tests=\"2\" failures=\"0\" errors=\"1\" skipped=\"1\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<error type=\"run-error\" message=\"1 of 1 runs could not measure\">run 1: sshd exited before "
                     "listening\n</error>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<skipped message=\"bh: client_detect_max 5s not judged: no run measured\"/>"), std::string::npos);
  if (auto rc = xmllint(xml)) {
    EXPECT_EQ(*rc, 0) << xml;
  }
}

TEST(JunitReport, HostileStringsStayWellFormed) {
  run::Results r;
  r.environment.kernel = "Linux \"6\" <&>";
  r.cases = {case_of("x/0", "x]]>", 1, {run_of(0, 3.0, 4.0), failed_run(1, std::string("bad\x01" "byte \xff </error>"))})};
  r.cases[0].runs[0].client.evidence = "Timeout, <server> & \"friends\" ]]>";
  const std::string xml = JunitReport::render(Summary::of(r, {}));
  EXPECT_EQ(xml.find("</error>\n</error>"), std::string::npos);
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  EXPECT_NE(xml.find("bad\xEF\xBF\xBD" "byte \xEF\xBF\xBD &lt;/error&gt;"), std::string::npos) << xml;
  EXPECT_NE(xml.find("Timeout, &lt;server&gt; &amp; &quot;friends&quot; ]]&gt;"), std::string::npos) << xml;
  if (auto rc = xmllint(xml)) {
    EXPECT_EQ(*rc, 0) << xml;
  }
}

TEST(JunitReport, XmllintIsAvailableOrTheWellFormednessChecksAreSkipped) {
  if (!xmllint("<a/>")) GTEST_SKIP() << "xmllint not installed (apt-get install libxml2-utils): XML is not validated";
  EXPECT_EQ(*xmllint("<a/>"), 0);
  EXPECT_NE(*xmllint("<a>"), 0);  // the checker itself can fail
}

}  // namespace
}  // namespace deadpeer::report
