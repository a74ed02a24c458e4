#include "faults/Middlebox.hpp"

#include <net/if.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>
#include <random>
#include <vector>

#include "faults/SockDiag.hpp"
#include "lab/Lab.hpp"
#include "sys/Log.hpp"
#include "sys/Netns.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::faults {
namespace {

// The MAC of an end host's interface, read inside its namespace: the middlebox must be able to
// address an end that has not sent a single frame since arming.
MacAddress interface_mac(const sys::Netns& ns, const std::string& ifname) {
  MacAddress mac{};
  const std::string what = "SIOCGIFHWADDR " + ifname + " in " + ns.name();
  ns.run([&] {
    sys::UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd) sys::throw_errno("socket for " + what);
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, ifname.c_str(), IFNAMSIZ - 1);
    sys::check(::ioctl(fd.get(), SIOCGIFHWADDR, &ifr), what);
    std::memcpy(mac.data(), ifr.ifr_hwaddr.sa_data, mac.size());
  });
  return mac;
}

// Longer than Linux's default net.ipv4.tcp_invalid_ratelimit (500 ms).
constexpr auto kRateLimitWait = std::chrono::milliseconds(600);

std::string flow_name(std::uint16_t port) {
  return std::string(lab::Addresses::client) + " → " + lab::Addresses::server + ":" + std::to_string(port);
}

}  // namespace

Middlebox::Middlebox(lab::Lab& lab, std::uint16_t server_port, Responder responder)
    : server_ns_(lab.server().ns()),
      server_port_(server_port),
      rc_(PacketSocket::open(lab.router().ns(), lab::Ifnames::router_to_client)),
      rs_(PacketSocket::open(lab.router().ns(), lab::Ifnames::router_to_server)),
      wake_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      tracker_(ipv4_from_string(lab::Addresses::client), ipv4_from_string(lab::Addresses::server), server_port),
      responder_(std::move(responder)) {
  if (!wake_) sys::throw_errno("eventfd for the middlebox in " + lab.router().ns().name());
  tracker_.set_mac(FlowSide::client, interface_mac(lab.client().ns(), lab::Ifnames::client));
  tracker_.set_mac(FlowSide::server, interface_mac(lab.server().ns(), lab::Ifnames::server));
  thread_ = std::thread([this] { run(); });
  sys::log("faults").debug("middlebox armed on {}/{} and {}/{} for {}", lab.router().ns().name(), rc_.ifname(),
                           lab.router().ns().name(), rs_.ifname(), flow_name(server_port_));
}

Middlebox::~Middlebox() {
  stop_ = true;
  const std::uint64_t one = 1;
  if (::write(wake_.get(), &one, sizeof one) < 0)
    sys::log("faults").error("wake the middlebox thread to stop it: {}", std::strerror(errno));
  if (thread_.joinable()) thread_.join();
  sys::log("faults").debug("middlebox for {} disarmed after {} frames", flow_name(server_port_), frames_seen_.load());
}

void Middlebox::run() noexcept {
  // Large enough for a whole GSO super-segment on veth (up to 64 KiB), so that payload lengths,
  // and the sequence numbers computed from them, are never cut short.
  std::vector<std::uint8_t> buf(256 * 1024);
  PacketSocket* socks[2] = {&rc_, &rs_};
  bool live[2] = {true, true};
  while (!stop_) {
    // A negative fd is ignored by poll: a link that failed (deleted by another fault) is
    // dropped instead of waking us in a loop.
    pollfd fds[3] = {{live[0] ? rc_.fd() : -1, POLLIN, 0}, {live[1] ? rs_.fd() : -1, POLLIN, 0},
                     {wake_.get(), POLLIN, 0}};
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      sys::log("faults").error("middlebox poll on {}/{}: {}", rc_.ifname(), rs_.ifname(), std::strerror(errno));
      return;
    }
    if (fds[2].revents) return;
    for (int i = 0; i < 2; ++i) {
      if (!fds[i].revents) continue;
      try {
        handle(*socks[i], buf);
      } catch (const std::exception& e) {
        // A failed send must not blind the middlebox; a socket that keeps failing is dropped.
        sys::log("faults").error("middlebox for {} on {}: {}", flow_name(server_port_), socks[i]->ifname(), e.what());
        if (fds[i].revents & (POLLERR | POLLHUP | POLLNVAL)) live[i] = false;
      }
    }
  }
}

void Middlebox::handle(PacketSocket& sock, std::span<std::uint8_t> buf) {
  sys::TimePoint at;
  while (const std::size_t n = sock.receive(buf, &at, 0)) {
    const FrameView f = FrameView::parse(buf.first(n));
    if (!f.tcp) continue;
    std::lock_guard lock(mu_);
    const auto obs = tracker_.observe(f, at);
    if (!obs.ours) continue;
    ++frames_seen_;
    if (obs.new_flow) sys::log("faults").debug("middlebox tracks {}", f.str());
    if (responder_)
      if (auto reply = responder_(f, obs, tracker_, at)) send_locked(*reply);
    seen_.notify_all();
  }
}

void Middlebox::send_locked(TcpSegment& seg) {
  // Out of the link that leads to the destination, from the router's own address there.
  PacketSocket& out = seg.ip_dst == tracker_.end(FlowSide::client).ip ? rc_ : rs_;
  const FlowSide to = &out == &rc_ ? FlowSide::client : FlowSide::server;
  seg.eth_src = out.mac();
  if (const auto& mac = tracker_.end(to).mac) seg.eth_dst = *mac;
  out.send(seg.frame());
  tracker_.note_forged(seg);
}

void Middlebox::send(TcpSegment seg) {
  std::lock_guard lock(mu_);
  send_locked(seg);
}

bool Middlebox::synchronize(FlowSide target, std::chrono::milliseconds timeout) {
  const std::string what = "learn the sequence numbers of " + flow_name(server_port_);
  std::uint32_t client_ip = 0, server_ip = 0;
  {
    std::lock_guard lock(mu_);
    if (tracker_.has_flow() && tracker_.synchronized()) return false;
    client_ip = tracker_.end(FlowSide::client).ip;
    server_ip = tracker_.end(FlowSide::server).ip;
  }
  // Idle since before arming: the server's socket table names the client's port (the newest
  // socket wins, as the newest handshake would on the wire).
  std::optional<TcpConnection> best;
  for (const auto& c : SockDiag::established(server_ns_))
    if (c.local_ip == server_ip && c.local_port == server_port_ && c.remote_ip == client_ip &&
        (!best || c.inode > best->inode))
      best = c;
  std::unique_lock lock(mu_);
  if (!tracker_.has_flow()) {
    if (!best) throw sys::Error(what + ": no established connection in " + server_ns_.name());
    tracker_.set_client_port(best->remote_port);
  }
  const long before = tracker_.end(target).segments;
  const FlowEnd& peer = tracker_.end(other(target));
  const FlowEnd& me = tracker_.end(target);
  TcpSegment syn;
  syn.ip_src = peer.ip, syn.sport = peer.port;
  syn.ip_dst = me.ip, syn.dport = me.port;
  syn.seq = std::random_device{}();
  syn.flags = tcpflag::syn;
  syn.window = 64240;
  syn.ttl = 63;
  // Not send_locked: a probe is not part of the peer's stream (note_forged would count it).
  PacketSocket& out = target == FlowSide::client ? rc_ : rs_;
  syn.eth_src = out.mac();
  if (me.mac) syn.eth_dst = *me.mac;
  const auto answered_now = [&] { return tracker_.end(target).segments > before && tracker_.synchronized(); };
  // The target answers at most one invalid segment per tcp_invalid_ratelimit (500 ms): if it
  // just answered another one (a spurious SYN-ACK retransmission after a slow handshake draws
  // a challenge ACK too), the first SYN goes unanswered; the second, 600 ms later, does not.
  const auto deadline = sys::Clock::now() + timeout;
  bool answered = false;
  while (!answered && sys::Clock::now() < deadline) {
    out.send(syn.frame());
    answered = seen_.wait_until(lock, std::min(deadline, sys::Clock::now() + kRateLimitWait), answered_now);
  }
  if (!answered)
    throw sys::Error(what + ": the " + to_string(target) + " did not answer a SYN with a challenge ACK within " +
                     std::to_string(timeout.count()) + " ms");
  sys::log("faults").debug("middlebox learned {} from a challenge ACK of the {}", flow_name(server_port_),
                           to_string(target));
  return true;
}

}  // namespace deadpeer::faults
