#pragma once
// The client side of a traffic pattern (scenario [traffic]): what the harness writes into the
// session, and when. `idle` writes nothing; `interactive` writes one short line every
// `interval` (the remote `cat` echoes it: a typing user); `stream` needs no writes (the server
// side writes, see SshClient::remote_command); `forward` writes through a port forward.
#include <optional>

#include "scenario/Scenario.hpp"
#include "sys/Clock.hpp"

namespace deadpeer::run {

class TrafficDriver {
 public:
  // fd: the session's stdin (interactive) or the forwarded connection (forward).
  TrafficDriver(const scenario::Traffic& traffic, int fd);

  void start(sys::TimePoint now);
  // When the next write is due (nullopt: this pattern never writes).
  std::optional<sys::TimePoint> next_write() const { return next_; }
  // Writes what is due. A client that has exited makes the write fail with EPIPE: that is not
  // an error of the harness (the measurement sees the exit), so it only stops the writes.
  void run_due();
  long writes() const { return writes_; }

 private:
  scenario::Traffic traffic_;
  int fd_;
  std::optional<sys::TimePoint> next_;
  long writes_ = 0;
};

// write(2) with SIGPIPE blocked in the calling thread (and a pending one consumed), so writing
// to a pipe whose reader died returns EPIPE instead of killing the process. Returns false on
// EPIPE, throws on other errors.
bool write_without_sigpipe(int fd, const void* data, std::size_t size);

}  // namespace deadpeer::run
