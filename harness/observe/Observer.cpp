#include "observe/Observer.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "sys/Log.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::observe {

Observer::Observer()
    : epoll_(static_cast<int>(sys::check(::epoll_create1(EPOLL_CLOEXEC), "epoll_create1 for observer"))),
      wake_(static_cast<int>(sys::check(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK), "eventfd for observer"))),
      interrupt_([this] {
        {
          std::lock_guard lock(mutex_);
          interrupted_ = true;
        }
        changed_.notify_all();
      }) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_.get();
  sys::check(::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, wake_.get(), &ev), "epoll_ctl add eventfd");
  thread_ = std::thread([this] { loop(); });
}

Observer::~Observer() {
  uint64_t one = 1;
  if (::write(wake_.get(), &one, sizeof one) < 0) sys::log("observe").error("waking observer thread failed");
  if (thread_.joinable()) thread_.join();
}

void Observer::add(std::unique_ptr<Watch> w) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = w->fd;
  std::lock_guard lock(mutex_);
  sys::check(::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, w->fd, &ev), "epoll_ctl add " + w->source);
  watches_[w->fd] = std::move(w);
}

void Observer::watch_lines(sys::UniqueFd fd, std::string source) {
  auto w = std::make_unique<Watch>();
  w->fd = fd.get();
  w->owned = std::move(fd);
  w->source = std::move(source);
  add(std::move(w));
}

void Observer::watch_exit(int pidfd, std::string source) {
  auto w = std::make_unique<Watch>();
  w->fd = pidfd;
  w->is_exit = true;
  w->source = std::move(source);
  add(std::move(w));
}

void Observer::mark(std::string source, std::string text, sys::TimePoint t) {
  push(Event{t, Event::Kind::mark, std::move(source), std::move(text)});
}

void Observer::push(Event e) {
  {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(e));
  }
  changed_.notify_all();
}

void Observer::loop() {
  epoll_event evs[16];
  for (;;) {
    int n = ::epoll_wait(epoll_.get(), evs, 16, -1);
    // Timestamp before anything else: the event happened no later than now.
    const sys::TimePoint now = sys::Clock::now();
    if (n < 0) {
      if (errno == EINTR) continue;
      sys::log("observe").error("epoll_wait failed: {}", std::strerror(errno));
      return;
    }
    for (int i = 0; i < n; ++i) {
      if (evs[i].data.fd == wake_.get()) return;
      Watch* w = nullptr;
      {
        std::lock_guard lock(mutex_);
        auto it = watches_.find(evs[i].data.fd);
        if (it != watches_.end()) w = it->second.get();
      }
      if (w) on_readable(*w, now);
    }
  }
}

void Observer::on_readable(Watch& w, sys::TimePoint now) {
  auto forget = [&] {
    std::lock_guard lock(mutex_);
    ::epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, w.fd, nullptr);
    watches_.erase(w.fd);  // destroys w
  };
  if (w.is_exit) {
    push(Event{now, Event::Kind::exit, w.source, "exited"});
    forget();
    return;
  }
  char buf[4096];
  ssize_t n = ::read(w.fd, buf, sizeof buf);
  if (n <= 0) {
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (!w.partial.empty()) push_line(w, now, std::move(w.partial));
    forget();
    return;
  }
  w.partial.append(buf, static_cast<size_t>(n));
  size_t start = 0;
  for (size_t nl; (nl = w.partial.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string line = w.partial.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    push_line(w, now, std::move(line));
  }
  w.partial.erase(0, start);
  // A writer that never ends its line (binary output) must not grow memory without bound.
  constexpr std::size_t kMaxLine = 16 * 1024;
  if (w.partial.size() > kMaxLine) {
    push_line(w, now, w.partial.substr(0, kMaxLine) + " [line truncated]");
    w.partial.clear();
  }
}

void Observer::push_line(Watch& w, sys::TimePoint now, std::string line) {
  if (w.kept_bytes >= kMaxKeptBytesPerSource) return;
  w.kept_bytes += line.size();
  if (w.kept_bytes >= kMaxKeptBytesPerSource) line += " [further output of " + w.source + " not kept]";
  push(Event{now, Event::Kind::line, w.source, std::move(line)});
}

bool Observer::wait_until(const Predicate& pred, sys::TimePoint deadline) {
  std::unique_lock lock(mutex_);
  // Interrupts are sticky: a wait started after the signal returns at once.
  for (;;) {
    if (pred(events_)) return true;
    if (interrupted_ || sys::Interrupt::requested()) return false;
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout) return pred(events_);
  }
}

std::vector<Event> Observer::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

}  // namespace deadpeer::observe
