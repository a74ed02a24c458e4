#pragma once
// The `forward` traffic pattern: ssh carries a local port forward (LocalForward 127.0.0.1:7001
// → 127.0.0.1:7002 on the server host) and the harness sends a short line through it every
// interval; an echo service of the harness on the server host answers. This is the tunnel
// users keep open for a database or a web UI, where the data flows in a forwarded channel
// rather than in the session's own.
//
// Everything stays on the lab's loopbacks: the echo listener is opened inside the server
// namespace, the connection to the forward inside the client namespace.
#include <thread>

#include "scenario/Scenario.hpp"
#include "sys/Clock.hpp"
#include "sys/UniqueFd.hpp"

namespace deadpeer::sys {
class Netns;
}

namespace deadpeer::run {

class ForwardTraffic {
 public:
  static constexpr int kClientPort = 7001;  // ssh listens here in the client namespace
  static constexpr int kServerPort = 7002;  // the echo service in the server namespace
  // The ssh options that create the forward (added by the harness, not by the user).
  static std::vector<scenario::Setting> ssh_options();

  // Opens the echo service in `server` and starts serving it.
  explicit ForwardTraffic(const sys::Netns& server);
  ForwardTraffic(const ForwardTraffic&) = delete;
  ForwardTraffic& operator=(const ForwardTraffic&) = delete;
  ~ForwardTraffic();

  // Connects through the forward from `client` and waits for one echo, proving the tunnel
  // carries data; throws when it does not by the deadline.
  void connect(const sys::Netns& client, sys::TimePoint deadline);
  // The harness's end of the forwarded connection (for TrafficDriver's writes).
  int fd() const { return conn_.get(); }

 private:
  void serve();  // echo thread

  sys::UniqueFd listener_, stop_;
  sys::UniqueFd conn_;
  std::thread thread_;
};

}  // namespace deadpeer::run
