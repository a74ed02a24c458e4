#pragma once
// Scenarios keep OpenSSH's option names for every implementation; for Dropbear they map onto its
// few command-line flags (docs/dropbear.md):
//
//   [client] ServerAliveInterval / [server] ClientAliveInterval  →  -K secs  (keepalive)
//   IdleTimeout (a deadpeer key, Dropbear only)                  →  -I secs  (idle timeout)
//   ServerAliveCountMax / ClientAliveCountMax                     only 3: Dropbear's fixed limit
//   TCPKeepAlive                                                  only no: Dropbear never sets SO_KEEPALIVE
//
// Anything else has no Dropbear equivalent and is an error, found before any namespace exists
// (the counterpart of OptionChecker, which asks the OpenSSH binaries).
#include <string>
#include <vector>

#include "proc/ReservedOptions.hpp"
#include "scenario/Scenario.hpp"
#include "scenario/ScenarioError.hpp"

namespace deadpeer::proc {

struct DropbearFlags {
  long keepalive_s = 0;     // -K; 0 = off (Dropbear's default)
  long idle_timeout_s = 0;  // -I; 0 = off
  std::vector<std::string> arguments() const;  // {"-K", "1", "-I", "0"}
};

class DropbearOptions {
 public:
  // Dropbear gives up after this many keepalive intervals without a packet
  // (default_options.h DEFAULT_KEEPALIVE_LIMIT); not settable at run time.
  static constexpr long kKeepaliveLimit = 3;

  // One Diagnostic per option Dropbear cannot honour, at the option's file:line:column.
  static std::vector<scenario::Diagnostic> check(OptionSide side, const std::vector<scenario::Setting>& options);
  // The flags for these options; throws sys::Error naming the first option check() rejects.
  static DropbearFlags flags(OptionSide side, const std::vector<scenario::Setting>& options);
  // The option names accepted on `side`, as the user would write them.
  static std::vector<std::string> accepted(OptionSide side);
};

}  // namespace deadpeer::proc
