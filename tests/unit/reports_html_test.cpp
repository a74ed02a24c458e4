// HtmlReport without a browser: the page is self-contained (no fetch, a policy that forbids
// one), has a canvas per chart, carries its data as parseable JSON, and escapes every user
// string. Chart.js is located from the Debian package or DEADPEER_CHARTJS, with a clear error
// when it is missing. (report_browser_test checks that the charts really draw.)
#include <gtest/gtest.h>

#include <cstdlib>

#include "report/ChartLibrary.hpp"
#include "report/HtmlReport.hpp"
#include "report/ReportError.hpp"
#include "reports_test_support.hpp"

namespace deadpeer::report {
namespace {

using namespace deadpeer::testing;

constexpr std::string_view kStub = "/* chart stub */ window.Chart = function () {};";

class EnvVar {
 public:
  EnvVar(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value, 1);
  }
  ~EnvVar() { old_ ? ::setenv(name_, old_->c_str(), 1) : ::unsetenv(name_); }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

nlohmann::json embedded_data(const std::string& html) {
  const std::string open = "<script id=deadpeer-data type=\"application/json\">";
  const auto begin = html.find(open);
  if (begin == std::string::npos) return nullptr;
  const auto end = html.find("</script>", begin);
  return nlohmann::json::parse(html.substr(begin + open.size(), end - begin - open.size()));
}

TEST(HtmlReport, FixturePageIsSelfContained) {
  const auto loaded = fixture();
  const std::string html = HtmlReport::render(Summary::of(loaded.results, loaded.expect), kStub);
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>\n"));
  EXPECT_NE(html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src "
                      "'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">"),
            std::string::npos);
  // Nothing is fetched: no src/href to anything but in-page anchors, no stylesheet links.
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  EXPECT_EQ(count_of(html, "<script"), 4u);  // error hook, data, library, drawing
  EXPECT_NE(html.find(kStub), std::string::npos);
  // One detection chart for the one fault kind, one timeline per case.
  EXPECT_EQ(count_of(html, "<canvas "), 3u);
  EXPECT_NE(html.find("<canvas id=kind-0>"), std::string::npos);
  EXPECT_NE(html.find("<canvas id=tl-1>"), std::string::npos);
  EXPECT_NE(html.find("<li class=violated>VIOLATED: blackhole[ServerAliveInterval=5]: client detected in 21.204 s "
                      "&gt; client_detect_max 15s"),
            std::string::npos);
  // Every run's log is in a table, readable without JavaScript.
  EXPECT_EQ(count_of(html, "<details>"), 6u);
  EXPECT_NE(html.find("<td class=text>Timeout, client not responding from user root 198.51.100.2 port 33056</td>"),
            std::string::npos);

  const auto data = embedded_data(html);
  ASSERT_TRUE(data.is_object());
  ASSERT_EQ(data["kinds"].size(), 1u);
  EXPECT_EQ(data["kinds"][0]["cases"], nlohmann::json::array({0, 1}));
  ASSERT_EQ(data["cases"].size(), 2u);
  EXPECT_EQ(data["cases"][1]["axis"], "ServerAliveInterval=5");
  EXPECT_EQ(data["cases"][1]["client"]["predicted"], nlohmann::json::array({15.0, 20.0}));
  EXPECT_EQ(data["cases"][1]["client"]["runs"][2]["t"], 21.204);
  EXPECT_EQ(data["cases"][0]["timeline"]["runs"][0]["entries"].size(), 9u);
}

TEST(HtmlReport, UserStringsAreEscapedInMarkupAndData) {
  run::Results r;
  r.run_id = "<b>id</b>";
  r.cases = {case_of("x/0", "</script><script>alert(1)</script>", 1, {run_of(0, 3.0, 4.0)}, "<img onerror=x>")};
  r.cases[0].runs[0].timeline = {{0.5, "server.log", "</script><!-- \"quoted\" & 'single'"}};
  const std::string html = HtmlReport::render(Summary::of(r, {}), kStub);
  EXPECT_EQ(html.find("alert(1)</script>"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<!--"), std::string::npos);
  EXPECT_EQ(html.find("<b>id"), std::string::npos);
  EXPECT_NE(html.find("<td class=text>&lt;/script&gt;&lt;!-- &quot;quoted&quot; &amp; &#39;single&#39;</td>"),
            std::string::npos);
  EXPECT_EQ(count_of(html, "<script"), 4u);
  const auto data = embedded_data(html);
  EXPECT_EQ(data["cases"][0]["timeline"]["runs"][0]["entries"][0][2], "</script><!-- \"quoted\" & 'single'");
  EXPECT_EQ(data["kinds"][0]["name"], "<img onerror=x>");
}

TEST(HtmlReport, LongTimelinesAreCappedInTheChartNotLost) {
  run::Results r;
  r.cases = {case_of("s/0", "s", 1, {run_of(0, 3.0, 4.0)})};
  for (std::size_t i = 0; i < HtmlReport::kChartEntriesPerRun + 10; ++i)
    r.cases[0].runs[0].timeline.push_back({static_cast<double>(i) / 100.0, "client.log", "line"});
  const auto data = HtmlReport::chart_data(Summary::of(r, {}));
  EXPECT_EQ(data["cases"][0]["timeline"]["runs"][0]["entries"].size(), HtmlReport::kChartEntriesPerRun);
  EXPECT_EQ(data["cases"][0]["timeline"]["runs"][0]["dropped"], 10);
}

TEST(ChartLibrary, MissingLibraryNamesTheFileAndThePackage) {
  EnvVar env("DEADPEER_CHARTJS", "/nonexistent/chart.min.js");
  run::Results r;
  try {
    HtmlReport::render(Summary::of(r, {}));
    FAIL() << "expected ReportError";
  } catch (const ReportError& e) {
    EXPECT_EQ(e.kind(), ReportError::Kind::missing_dependency);
    EXPECT_EQ(std::string(e.what()),
              "cannot read Chart.js for the HTML report from /nonexistent/chart.min.js: No such file or directory "
              "(install the Debian package libjs-chart.js, or set DEADPEER_CHARTJS to chart.min.js)");
  }
}

TEST(ChartLibrary, RefusesAFileThatWouldEndTheScriptElement) {
  const auto path = std::filesystem::temp_directory_path() / ("deadpeer-chart-" + std::to_string(::getpid()) + ".js");
  std::ofstream(path) << "var Chart = '</SCRIPT>';";
  EnvVar env("DEADPEER_CHARTJS", path.c_str());
  EXPECT_THROW(ChartLibrary::load(), ReportError);
  std::filesystem::remove(path);
}

TEST(ChartLibrary, DebianPackageIsInlined) {
  if (::access(ChartLibrary::kDebianPath, R_OK) != 0)
    GTEST_SKIP() << ChartLibrary::kDebianPath << " missing: apt-get install libjs-chart.js";
  ::unsetenv("DEADPEER_CHARTJS");
  const std::string js = ChartLibrary::load();
  EXPECT_NE(js.find("Chart.js v"), std::string::npos);
  const auto loaded = fixture();
  const std::string html = HtmlReport::render(Summary::of(loaded.results, loaded.expect));
  EXPECT_NE(html.find(js), std::string::npos);
}

}  // namespace
}  // namespace deadpeer::report
