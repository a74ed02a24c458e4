#pragma once
// Shared by the integration tests: skip with the reason when this machine cannot build labs,
// and small socket helpers that send test traffic only inside the namespaces a test created.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "lab/Capabilities.hpp"
#include "sys/Netns.hpp"
#include "sys/UniqueFd.hpp"

namespace deadpeer::testing {

// The reason labs cannot run here, or "" when they can. Probed once per test binary.
inline const std::string& lab_unavailable_reason() {
  static const std::string reason = [] {
    if (::geteuid() != 0) return std::string("needs root (namespaces, nftables, cgroups)");
    for (const auto& c : lab::Capabilities::probe())
      if (c.required && !c.ok) return c.name + ": " + c.detail;
    return std::string();
  }();
  return reason;
}

#define DEADPEER_REQUIRE_LAB()                                                   \
  do {                                                                           \
    if (const auto& why = ::deadpeer::testing::lab_unavailable_reason(); !why.empty()) \
      GTEST_SKIP() << "lab unavailable: " << why;                                \
  } while (0)

inline sockaddr_in address(const std::string& ip, int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
  return a;
}

// A listening TCP socket opened inside `ns`.
inline sys::UniqueFd listen_in(const sys::Netns& ns, const std::string& ip, int port) {
  sys::UniqueFd fd;
  ns.run([&] {
    fd = sys::UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    auto a = address(ip, port);
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) < 0 || ::listen(fd.get(), 16) < 0)
      throw std::system_error(errno, std::generic_category(), "listen " + ip);
  });
  return fd;
}

// Tries a TCP connect from inside `ns`; true if the handshake completed within `timeout_ms`.
inline bool connect_from(const sys::Netns& ns, const std::string& ip, int port, int timeout_ms) {
  bool ok = false;
  ns.run([&] {
    sys::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    auto a = address(ip, port);
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
      ok = true;
      return;
    }
    if (errno != EINPROGRESS) return;
    pollfd p{fd.get(), POLLOUT, 0};
    if (::poll(&p, 1, timeout_ms) != 1) return;
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    ok = err == 0;
  });
  return ok;
}

inline bool netns_exists(const std::string& name) {
  return std::filesystem::exists(std::string(sys::Netns::kRunDir) + "/" + name);
}

}  // namespace deadpeer::testing
