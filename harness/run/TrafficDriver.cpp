#include "run/TrafficDriver.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "sys/SystemError.hpp"

namespace deadpeer::run {

bool write_without_sigpipe(int fd, const void* data, std::size_t size) {
  sigset_t pipe_set, old;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  const ssize_t n = ::write(fd, data, size);
  const int err = errno;
  if (n < 0 && err == EPIPE) {
    // The kernel raised SIGPIPE for this thread; take it off the pending set before unblocking.
    const timespec zero{};
    ::sigtimedwait(&pipe_set, nullptr, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (n >= 0) return true;
  if (err == EPIPE) return false;
  sys::throw_errno(err, "write " + std::to_string(size) + " bytes to the session's stdin");
}

TrafficDriver::TrafficDriver(const scenario::Traffic& traffic, int session_stdin)
    : traffic_(traffic), fd_(session_stdin) {}

void TrafficDriver::start(sys::TimePoint now) {
  const bool writes = traffic_.pattern == scenario::Pattern::interactive || traffic_.pattern == scenario::Pattern::forward;
  if (writes && fd_ >= 0) next_ = now + traffic_.interval;
}

void TrafficDriver::run_due() {
  while (next_ && *next_ <= sys::Clock::now()) {
    static constexpr char kLine[] = "deadpeer-keystroke\n";
    if (!write_without_sigpipe(fd_, kLine, sizeof kLine - 1)) {
      next_.reset();
      return;
    }
    ++writes_;
    *next_ += traffic_.interval;
  }
}

}  // namespace deadpeer::run
