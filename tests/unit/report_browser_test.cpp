// The HTML report in a real browser: Debian's chromium --headless opens the page rendered from
// tests/unit/data/reports/results.json, runs its scripts (Chart.js inlined, no network) and
// dumps the DOM. The page's script writes data-charts-drawn (charts whose canvas has painted
// pixels) and data-js-errors (window.onerror, CSP violations) on <html>; this test reads them.
// A second page with a broken chart library proves the markers do report failures.
// Skips with the reason when chromium or Chart.js is not installed. CTest label: browser.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <thread>

#include "report/ChartLibrary.hpp"
#include "report/HtmlReport.hpp"
#include "reports_test_support.hpp"

extern char** environ;

namespace deadpeer::report {
namespace {

using namespace deadpeer::testing;
namespace fs = std::filesystem;

std::string chromium_path() {
  if (const char* env = std::getenv("DEADPEER_CHROMIUM"); env && *env) return env;
  return "/usr/bin/chromium";
}

// A private directory for the page and chromium's profile, removed with everything in it.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (fs::temp_directory_path() / "deadpeer-browser-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp " + tmpl + ": " + std::strerror(errno));
    path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
    if (ec) std::fprintf(stderr, "cannot remove %s: %s\n", path_.c_str(), ec.message().c_str());
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct Dump {
  int exit_status = -1;
  bool timed_out = false;
  std::string dom, log;
};

// chromium --headless --dump-dom file://<page>, in its own process group so that a hang can be
// ended with everything it started; a private profile under `dir`.
Dump dump_dom(const fs::path& page, const fs::path& dir) {
  const std::string out = (dir / "dom.html").string(), err = (dir / "chromium.log").string();
  std::vector<std::string> args = {chromium_path(),
                                   "--headless",
                                   "--disable-gpu",
                                   "--no-first-run",
                                   "--disable-extensions",
                                   "--disable-background-networking",
                                   "--user-data-dir=" + (dir / "profile").string(),
                                   "--window-size=1280,2000",
                                   "--virtual-time-budget=10000",
                                   "--dump-dom",
                                   "file://" + page.string()};
  if (::geteuid() == 0) args.insert(args.begin() + 1, "--no-sandbox");  // chromium refuses root otherwise
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  Dump d;
  if (rc != 0) {
    d.log = "posix_spawn " + args[0] + ": " + std::strerror(rc);
    return d;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      d.timed_out = true;
      ::kill(-pid, SIGKILL);  // the group chromium leads: its renderer and zygote processes too
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  d.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  d.dom = slurp(out);
  d.log = slurp(err);
  return d;
}

// The value of attribute `name` on the <html> element of the dumped DOM, or nullopt.
std::optional<std::string> html_attribute(const std::string& dom, const std::string& name) {
  const auto open = dom.find("<html");
  if (open == std::string::npos) return std::nullopt;
  const std::string tag = dom.substr(open, dom.find('>', open) - open);
  std::smatch m;
  if (std::regex_search(tag, m, std::regex(" " + name + "=\"([^\"]*)\""))) return m[1].str();
  return std::nullopt;
}

class ReportBrowser : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access(chromium_path().c_str(), X_OK) != 0)
      GTEST_SKIP() << chromium_path() << " not found: apt-get install chromium (or set DEADPEER_CHROMIUM)";
    if (::access(ChartLibrary::path().c_str(), R_OK) != 0)
      GTEST_SKIP() << ChartLibrary::path() << " not found: apt-get install " << ChartLibrary::kPackage;
  }

  Dump open(const std::string& html) {
    const fs::path page = scratch_.path() / "report.html";
    std::ofstream(page) << html;
    Dump d = dump_dom(page, scratch_.path());
    // Not root and no user namespaces: chromium cannot build its sandbox. That is the machine,
    // not the report.
    if (d.exit_status != 0 && d.log.find("No usable sandbox") != std::string::npos)
      skip_reason_ = "chromium has no usable sandbox here (run as root, or allow user namespaces)";
    return d;
  }

  std::string skip_reason_;

  ScratchDir scratch_;
};

TEST_F(ReportBrowser, ChartsOfTheFixtureAreDrawnWithoutErrors) {
  auto loaded = fixture();
  // A hostile log line: if escaping failed, it would run and mark the page.
  loaded.results.cases[0].runs[0].timeline.push_back(
      {1.0, "server.log", "</script><script>document.documentElement.setAttribute('data-pwned','1')</script>"});
  const Dump d = open(HtmlReport::render(Summary::of(loaded.results, loaded.expect)));
  if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
  ASSERT_FALSE(d.timed_out) << d.log;
  ASSERT_EQ(d.exit_status, 0) << d.log;
  EXPECT_EQ(html_attribute(d.dom, "data-js-errors"), std::nullopt) << d.dom.substr(0, 2000);
  // 1 fault kind + 2 case timelines.
  EXPECT_EQ(html_attribute(d.dom, "data-charts-expected"), "3") << d.log;
  EXPECT_EQ(html_attribute(d.dom, "data-charts-drawn"), "3") << d.log;
  EXPECT_EQ(html_attribute(d.dom, "data-pwned"), std::nullopt);
  EXPECT_NE(d.dom.find("<p id=\"js-errors\" class=\"errors\" hidden=\"\"></p>"), std::string::npos);
}

TEST_F(ReportBrowser, ABrokenChartLibraryIsReported) {
  const auto loaded = fixture();
  const Dump d = open(HtmlReport::render(Summary::of(loaded.results, loaded.expect),
                                         "window.Chart = function () { throw new Error('stub chart library'); };"));
  if (!skip_reason_.empty()) GTEST_SKIP() << skip_reason_;
  ASSERT_FALSE(d.timed_out) << d.log;
  EXPECT_EQ(html_attribute(d.dom, "data-js-errors"), "3") << d.dom.substr(0, 2000);
  EXPECT_EQ(html_attribute(d.dom, "data-charts-drawn"), "0");
  EXPECT_NE(d.dom.find("Charts failed: kind-0: stub chart library"), std::string::npos);
}

}  // namespace
}  // namespace deadpeer::report
