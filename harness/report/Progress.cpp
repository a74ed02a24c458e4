#include "report/Progress.hpp"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <ostream>

#include "report/TextReport.hpp"

namespace deadpeer::report {
namespace {

// Setup of a lab, sshd and the session before `at` starts counting (a rough constant: it
// only matters until the first run ends).
constexpr double kSetupS = 1.0;

double expected_run_s(const scenario::Scenario& s) {
  double at = 0;
  for (const auto& f : s.faults) at = std::max(at, std::chrono::duration<double>(f.at).count());
  return at + std::chrono::duration<double>(s.horizon).count() + kSetupS;
}

std::string clock_text(double s) {
  const long t = std::max(0L, static_cast<long>(s + 0.5));
  if (t >= 3600) return fmt::format("{}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60);
  return fmt::format("{}:{:02}", t / 60, t % 60);
}

int terminal_width() {
  winsize w{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 20) return w.ws_col;
  return 100;
}

// Cuts at a byte count without splitting a UTF-8 sequence (the line has "·" and "…").
std::string fit(std::string s, std::size_t columns) {
  std::size_t cols = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (++cols > columns) break;
  }
  s.resize(i);
  return s;
}

}  // namespace

bool Progress::stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

Progress::Progress(const std::vector<scenario::Case>& cases, std::ostream& out, Options options)
    : out_(out), options_(options), started_(sys::Clock::now()) {
  if (options_.jobs < 1) options_.jobs = 1;
  for (const auto& c : cases) {
    const int repeat = std::max(1, c.scenario.repeat);
    const double w = expected_run_s(c.scenario);
    weight_s_[c.id] = w;
    runs_left_[c.id] += repeat;
    total_runs_ += repeat;
    total_weight_s_ += w * repeat;
  }
  total_cases_ = static_cast<int>(runs_left_.size());
  if (options_.live) {
    if (options_.width <= 0) options_.width = terminal_width();
    std::lock_guard lock(mutex_);
    redraw_locked();
    ticker_ = std::thread([this] {
      std::unique_lock lock(mutex_);
      while (!finished_) {
        stop_cv_.wait_for(lock, options_.refresh, [this] { return finished_; });
        if (!finished_) redraw_locked();
      }
    });
  }
}

Progress::~Progress() { finish(); }

void Progress::finish() {
  {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    finished_ = true;
    if (options_.live) {
      redraw_locked();
      out_ << "\n" << std::flush;
    }
  }
  stop_cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

void Progress::run_started() {
  std::lock_guard lock(mutex_);
  exact_running_ = true;
  ++started_runs_;
  if (options_.live && !finished_) redraw_locked();
}

void Progress::run_done(const run::CaseOutcome& c, const run::RunOutcome& r) {
  std::lock_guard lock(mutex_);
  ++done_runs_;
  if (r.error) ++errors_;
  const auto w = weight_s_.find(c.id);
  done_weight_s_ += w != weight_s_.end() ? w->second : kSetupS;
  if (auto left = runs_left_.find(c.id); left != runs_left_.end() && --left->second == 0) ++done_cases_;
  last_case_ = c.id;
  if (finished_) return;
  if (!options_.live) {
    const int digits = static_cast<int>(std::to_string(total_runs_).size());
    out_ << fmt::format("[{:>{}}/{}] ", done_runs_, digits, total_runs_) << TextReport::run_line(c, r) << std::endl;
    return;
  }
  // Errors stay in the scrollback above the live line.
  if (r.error) out_ << "\r\x1b[2K" << TextReport::run_line(c, r) << "\n";
  redraw_locked();
}

std::string Progress::status_line() const {
  std::lock_guard lock(mutex_);
  return status_line_locked(sys::Clock::now());
}

std::string Progress::status_line_locked(sys::TimePoint now) const {
  const double elapsed = sys::seconds_between(started_, now);
  const int left = total_runs_ - done_runs_;
  const int running = exact_running_ ? started_runs_ - done_runs_ : std::min(options_.jobs, left);
  std::string eta;
  if (left == 0)
    eta = "done";
  else if (done_weight_s_ > 0)
    eta = "ETA ~" + clock_text(elapsed * (total_weight_s_ - done_weight_s_) / done_weight_s_);
  else
    eta = "ETA ≤" + clock_text(std::max(0.0, total_weight_s_ / options_.jobs - elapsed));
  std::string line = fmt::format("runs {}/{} · cases {}/{} · {} running", done_runs_, total_runs_, done_cases_,
                                 total_cases_, running);
  if (errors_ > 0) line += fmt::format(" · {} error{}", errors_, errors_ == 1 ? "" : "s");
  line += fmt::format(" · {} elapsed · {}", clock_text(elapsed), eta);
  if (!last_case_.empty()) line += " · last " + last_case_;
  return line;
}

void Progress::redraw_locked() {
  const auto line = status_line_locked(sys::Clock::now());
  out_ << "\r\x1b[2K" << fit(line, static_cast<std::size_t>(std::max(1, options_.width - 1))) << std::flush;
}

}  // namespace deadpeer::report
