#include "run/ForwardTraffic.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "sys/Log.hpp"
#include "sys/Netns.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::run {
namespace {

sockaddr_in loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

}  // namespace

std::vector<scenario::Setting> ForwardTraffic::ssh_options() {
  return {{"LocalForward", "127.0.0.1:" + std::to_string(kClientPort) + " 127.0.0.1:" + std::to_string(kServerPort), {}},
          {"ExitOnForwardFailure", "yes", {}}};
}

ForwardTraffic::ForwardTraffic(const sys::Netns& server) : stop_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (!stop_) sys::throw_errno("eventfd for the forward echo service");
  server.run([&] {
    listener_ = sys::UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!listener_) sys::throw_errno("socket for the forward echo service in " + server.name());
    const int one = 1;
    ::setsockopt(listener_.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    auto a = loopback(kServerPort);
    sys::check(::bind(listener_.get(), reinterpret_cast<sockaddr*>(&a), sizeof a),
               "bind 127.0.0.1:" + std::to_string(kServerPort) + " in " + server.name());
    sys::check(::listen(listener_.get(), 4), "listen for the forward echo service in " + server.name());
  });
  thread_ = std::thread([this] { serve(); });
}

ForwardTraffic::~ForwardTraffic() {
  const std::uint64_t one = 1;
  if (::write(stop_.get(), &one, sizeof one) < 0) sys::log("run").error("stopping the forward echo service failed");
  if (thread_.joinable()) thread_.join();
}

void ForwardTraffic::serve() {
  std::vector<sys::UniqueFd> conns;
  char buf[4096];
  for (;;) {
    std::vector<pollfd> fds{{stop_.get(), POLLIN, 0}, {listener_.get(), POLLIN, 0}};
    for (const auto& c : conns) fds.push_back({c.get(), POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      sys::log("run").error("forward echo service: poll failed: {}", std::strerror(errno));
      return;
    }
    if (fds[0].revents) return;
    if (fds[1].revents & POLLIN) {
      sys::UniqueFd c(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (c) conns.push_back(std::move(c));
    }
    for (std::size_t i = 2; i < fds.size(); ++i) {
      if (!fds[i].revents) continue;
      const ssize_t n = ::recv(fds[i].fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n > 0 && ::send(fds[i].fd, buf, static_cast<std::size_t>(n), MSG_NOSIGNAL | MSG_DONTWAIT) == n) continue;
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      conns[i - 2].reset();  // closed by sshd, or an error: forget it
    }
    std::erase_if(conns, [](const sys::UniqueFd& c) { return !c; });
  }
}

void ForwardTraffic::connect(const sys::Netns& client, sys::TimePoint deadline) {
  const std::string what = "connect through the ssh forward 127.0.0.1:" + std::to_string(kClientPort) + " in " + client.name();
  // ssh opens its listener just after authentication; retry until it is there.
  for (;;) {
    client.run([&] {
      conn_ = sys::UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
      if (!conn_) sys::throw_errno("socket: " + what);
    });
    auto a = loopback(kClientPort);
    if (::connect(conn_.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) break;
    if (errno != ECONNREFUSED || sys::Clock::now() >= deadline) sys::throw_errno(what);
    ::usleep(20000);
  }
  static constexpr char kProbe[] = "deadpeer-forward\n";
  if (::send(conn_.get(), kProbe, sizeof kProbe - 1, MSG_NOSIGNAL) < 0) sys::throw_errno("send: " + what);
  std::size_t got = 0;
  char buf[64];
  while (got < sizeof kProbe - 1) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - sys::Clock::now()).count();
    pollfd p{conn_.get(), POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) throw sys::Error(what + ": no echo in time");
    const ssize_t n = ::recv(conn_.get(), buf, sizeof buf, 0);
    if (n <= 0) throw sys::Error(what + ": the forward closed before echoing");
    got += static_cast<std::size_t>(n);
  }
}

}  // namespace deadpeer::run
