#pragma once
// Why a side noticed (or did not notice) that its peer was gone. The vocabulary is part of the
// results format: keep the spellings stable.
#include <optional>
#include <string>
#include <string_view>

namespace deadpeer::observe {

enum class Cause {
  serveralive,     // ssh client: ServerAliveCountMax keepalive@openssh.com unanswered
  clientalive,     // sshd: ClientAliveCountMax unanswered
  tcp_keepalive,   // kernel SO_KEEPALIVE probes unanswered (ETIMEDOUT with nothing in flight)
  tcp_retransmit,  // kernel gave up retransmitting data (tcp_retries2, ETIMEDOUT/EPIPE)
  reset,           // a RST arrived (ECONNRESET)
  eof,             // orderly close by the peer
  mac_error,       // the SSH transport rejected a corrupted/forged packet
  other,           // it ended, for a reason none of the above describes
  none,            // nothing happened within the horizon
};

inline constexpr std::string_view to_string(Cause c) {
  switch (c) {
    case Cause::serveralive: return "serveralive";
    case Cause::clientalive: return "clientalive";
    case Cause::tcp_keepalive: return "tcp-keepalive";
    case Cause::tcp_retransmit: return "tcp-retransmit";
    case Cause::reset: return "reset";
    case Cause::eof: return "eof";
    case Cause::mac_error: return "mac-error";
    case Cause::other: return "other";
    case Cause::none: return "none";
  }
  return "other";
}

inline std::optional<Cause> cause_from_string(std::string_view s) {
  for (Cause c : {Cause::serveralive, Cause::clientalive, Cause::tcp_keepalive, Cause::tcp_retransmit,
                  Cause::reset, Cause::eof, Cause::mac_error, Cause::other, Cause::none})
    if (to_string(c) == s) return c;
  return std::nullopt;
}

}  // namespace deadpeer::observe
