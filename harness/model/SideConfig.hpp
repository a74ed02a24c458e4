#pragma once
// One side's settings as the model needs them: the user's options (case-insensitive,
// OpenSSH spellings, mapped to Dropbear's flags) and the namespace's TCP sysctls, with the
// defaults the real programs and a fresh network namespace would use.
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "model/Model.hpp"

namespace deadpeer::model {

inline constexpr double kNever = std::numeric_limits<double>::infinity();

enum class Side { client, server };

// net.ipv4 sysctls of one namespace (Linux defaults: include/net/tcp.h).
struct KernelTcp {
  double keepalive_time_s = 7200;  // tcp_keepalive_time
  double keepalive_intvl_s = 75;   // tcp_keepalive_intvl
  long keepalive_probes = 9;       // tcp_keepalive_probes
  long retries2 = 15;              // tcp_retries2
  double rto_min_s = 0.200;        // tcp_rto_min_us (Linux >= 6.11), else TCP_RTO_MIN
  double rto_max_s = 120.0;        // tcp_rto_max_ms (Linux >= 6.15), else TCP_RTO_MAX
};

struct SideConfig {
  Side side = Side::client;
  scenario::Implementation impl = scenario::Implementation::openssh;
  Version version;
  long alive_interval_s = 0;  // ServerAliveInterval / ClientAliveInterval / Dropbear -K; 0 = off
  long alive_count_max = 3;   // ServerAliveCountMax / ClientAliveCountMax; Dropbear: fixed 3
  bool so_keepalive = true;   // TCPKeepAlive (default yes); Dropbear never sets SO_KEEPALIVE
  long idle_timeout_s = 0;    // Dropbear -I; 0 = off
  KernelTcp tcp;
  std::vector<std::string> notes;  // options that were ignored or mapped, for explanations

  bool dropbear() const { return impl == scenario::Implementation::dropbear; }
  // "ssh", "sshd", "dbclient" or "dropbear": the program, as explanations name it.
  std::string program() const;
  // The option name the user wrote for the keepalive interval, e.g. "ServerAliveInterval".
  std::string interval_option() const;
  std::string count_option() const;
};

SideConfig client_config(const Inputs& in);
SideConfig server_config(const Inputs& in);

// OpenSSH's convtime(): "90", "1m30s", "2h" → seconds; nullopt if malformed.
std::optional<long> parse_ssh_time(const std::string& text);
// yes/no/true/false/1/0 → bool; nullopt if neither.
std::optional<bool> parse_flag(const std::string& text);
// Case-insensitive lookup in an option map.
std::optional<std::string> option(const std::map<std::string, std::string>& opts, const std::string& key);

}  // namespace deadpeer::model
