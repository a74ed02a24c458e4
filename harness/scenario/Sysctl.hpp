#pragma once
// The sysctls a scenario may set under [kernel.client], [kernel.server] and [kernel.router].
// Only names and ranges live here (pure data, no /proc access): a typo is caught while
// parsing, long before a namespace exists. Names are written without their prefix:
// "tcp_keepalive_time" is net.ipv4.tcp_keepalive_time, "nf_conntrack_*" is under net.netfilter.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deadpeer::scenario {

// Which namespace a [kernel.*] table configures. Conntrack lives only on the router: the
// endpoints never run a firewall.
enum class KernelSide { client, server, router };
std::string to_string(KernelSide side);  // "client", "server", "router"
std::optional<KernelSide> kernel_side_from_string(std::string_view s);

struct SysctlInfo {
  std::string_view name;  // without prefix
  std::int64_t min;
  std::int64_t max;
  std::string_view unit;  // for messages: "seconds", "ms", "" ...
};

// nullptr when `name` is not one a scenario may set on `side`.
const SysctlInfo* find_sysctl(std::string_view name, KernelSide side);

// Every name valid on `side`, for did-you-mean suggestions.
std::vector<std::string> sysctl_names(KernelSide side);

// "net.ipv4.tcp_keepalive_time", "net.netfilter.nf_conntrack_tcp_timeout_established".
std::string sysctl_full_name(std::string_view name);

// The same as a path below /proc/sys: "net/ipv4/tcp_keepalive_time".
std::string sysctl_proc_path(std::string_view name);

}  // namespace deadpeer::scenario
