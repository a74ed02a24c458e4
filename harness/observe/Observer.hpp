#pragma once
// Watches one case: the output pipes of its processes (every line timestamped the moment its
// newline arrives) and their pidfds (exit timestamped when the kernel signals it, ~0.1 ms).
// Each case has its own observer thread, so one case's work never delays another's timestamps.
//
// The case thread waits on the timeline with a predicate and a deadline; an interrupt
// (SIGINT/SIGTERM) wakes every wait so the case can unwind.
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "observe/Event.hpp"
#include "sys/Interrupt.hpp"
#include "sys/UniqueFd.hpp"

namespace deadpeer::observe {

class Observer {
 public:
  Observer();
  ~Observer();
  Observer(const Observer&) = delete;
  Observer& operator=(const Observer&) = delete;

  // Takes ownership of a pipe's read end; each complete line becomes an Event::Kind::line.
  void watch_lines(sys::UniqueFd fd, std::string source);
  // Watches a pidfd (not owned) for the process's exit; records an Event::Kind::exit.
  void watch_exit(int pidfd, std::string source);
  // Records a mark (fault applied, removed...) at `t`.
  void mark(std::string source, std::string text, sys::TimePoint t);

  using Predicate = std::function<bool(const std::vector<Event>&)>;
  // Waits until pred holds, the deadline passes, or an interrupt arrives; returns pred's value.
  bool wait_until(const Predicate& pred, sys::TimePoint deadline);
  std::vector<Event> events() const;

 private:
  struct Watch {
    sys::UniqueFd owned;
    int fd = -1;
    bool is_exit = false;
    std::string source;
    std::string partial;  // bytes of a line whose newline has not arrived yet
    std::size_t kept_bytes = 0;  // of this source's lines stored as events
  };
  // A chatty source (the `stream` pattern's output) keeps at most this much as events; the rest
  // is read and dropped, so memory stays bounded and the pipe never blocks the writer.
  static constexpr std::size_t kMaxKeptBytesPerSource = 256 * 1024;
  void push_line(Watch& w, sys::TimePoint now, std::string line);
  void loop();
  void on_readable(Watch& w, sys::TimePoint now);
  void add(std::unique_ptr<Watch> w);
  void push(Event e);

  sys::UniqueFd epoll_;
  sys::UniqueFd wake_;  // eventfd: stop the loop
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Event> events_;
  std::map<int, std::unique_ptr<Watch>> watches_;  // by fd; guarded by mutex_
  bool interrupted_ = false;
  std::thread thread_;
  sys::Interrupt::Subscription interrupt_;
};

}  // namespace deadpeer::observe
