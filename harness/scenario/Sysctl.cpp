#include "scenario/Sysctl.hpp"

#include <algorithm>
#include <limits>

namespace deadpeer::scenario {

namespace {

constexpr std::int64_t kIntMax = std::numeric_limits<std::int32_t>::max();
// proc_dointvec_jiffies rejects seconds that overflow int jiffies; HZ is at most 1000.
constexpr std::int64_t kJiffySecondsMax = kIntMax / 1000;

// Per-network-namespace integer sysctls under net.ipv4, as found writable in a fresh netns on
// Linux 6.18. Global ones (tcp_max_orphans, tcp_mem …) are absent from a child namespace and
// multi-value or string ones (tcp_rmem, tcp_congestion_control) do not fit an integer setting,
// so neither is listed. Ranges are the kernel's where it enforces one (or the socket-option
// limit, as for keepalive) and the int range otherwise: the kernel still has the last word
// when the lab writes the value. Names newer than the running kernel fail at lab setup.
constexpr SysctlInfo kIpv4[] = {
    {"tcp_abort_on_overflow", 0, 1, ""},
    {"tcp_app_win", 0, 31, ""},
    {"tcp_autocorking", 0, 1, ""},
    {"tcp_backlog_ack_defer", 0, 1, ""},
    {"tcp_base_mss", 0, kIntMax, "bytes"},
    {"tcp_challenge_ack_limit", 0, kIntMax, ""},
    {"tcp_child_ehash_entries", 0, kIntMax, ""},
    {"tcp_comp_sack_delay_ns", 0, kIntMax, "ns"},
    {"tcp_comp_sack_nr", 0, 255, ""},
    {"tcp_comp_sack_slack_ns", 0, kIntMax, "ns"},
    {"tcp_dsack", 0, 1, ""},
    {"tcp_early_demux", 0, 1, ""},
    {"tcp_early_retrans", 0, 4, ""},
    {"tcp_ecn", 0, kIntMax, ""},
    {"tcp_ecn_fallback", 0, 1, ""},
    {"tcp_fack", 0, 1, ""},
    {"tcp_fastopen", 0, kIntMax, ""},
    {"tcp_fastopen_blackhole_timeout_sec", 0, kIntMax, "seconds"},
    {"tcp_fin_timeout", 0, kJiffySecondsMax, "seconds"},
    {"tcp_frto", 0, 2, ""},
    {"tcp_fwmark_accept", 0, 1, ""},
    {"tcp_invalid_ratelimit", 0, kIntMax, "ms"},
    {"tcp_keepalive_intvl", 1, 32767, "seconds"},  // TCP_KEEPINTVL's limit
    {"tcp_keepalive_probes", 1, 127, ""},          // MAX_TCP_KEEPCNT
    {"tcp_keepalive_time", 1, 32767, "seconds"},   // MAX_TCP_KEEPIDLE
    {"tcp_l3mdev_accept", 0, 1, ""},
    {"tcp_limit_output_bytes", 0, kIntMax, "bytes"},
    {"tcp_max_reordering", 0, kIntMax, ""},
    {"tcp_max_syn_backlog", 0, kIntMax, ""},
    {"tcp_max_tw_buckets", 0, kIntMax, ""},
    {"tcp_migrate_req", 0, 1, ""},
    {"tcp_min_rtt_wlen", 0, 86400, "seconds"},
    {"tcp_min_snd_mss", 48, 65535, "bytes"},
    {"tcp_min_tso_segs", 1, 255, ""},
    {"tcp_moderate_rcvbuf", 0, 1, ""},
    {"tcp_mtu_probe_floor", 48, 65535, "bytes"},
    {"tcp_mtu_probing", 0, 2, ""},
    {"tcp_no_metrics_save", 0, 1, ""},
    {"tcp_no_ssthresh_metrics_save", 0, 1, ""},
    {"tcp_notsent_lowat", 0, 4294967295, "bytes"},
    {"tcp_orphan_retries", 0, 255, ""},
    {"tcp_pacing_ca_ratio", 0, 1000, "percent"},
    {"tcp_pacing_ss_ratio", 0, 1000, "percent"},
    {"tcp_pingpong_thresh", 1, 255, ""},
    {"tcp_probe_interval", 0, kIntMax, "seconds"},
    {"tcp_probe_threshold", 0, kIntMax, "bytes"},
    {"tcp_recovery", 0, kIntMax, ""},
    {"tcp_reflect_tos", 0, 1, ""},
    {"tcp_reordering", 0, kIntMax, ""},
    {"tcp_retrans_collapse", 0, 1, ""},
    {"tcp_retries1", 0, 255, ""},
    {"tcp_retries2", 0, 255, ""},
    {"tcp_rfc1337", 0, 1, ""},
    {"tcp_rto_max_ms", 1000, 120000, "ms"},  // since Linux 6.15
    {"tcp_rto_min_us", 1, 120000000, "µs"},  // since Linux 6.11; above TCP_RTO_MAX is meaningless
    {"tcp_sack", 0, 1, ""},
    {"tcp_shrink_window", 0, 1, ""},
    {"tcp_slow_start_after_idle", 0, 1, ""},
    {"tcp_stdurg", 0, 1, ""},
    {"tcp_syn_linear_timeouts", 0, 127, ""},
    {"tcp_syn_retries", 1, 127, ""},  // MAX_TCP_SYNCNT
    {"tcp_synack_retries", 0, 255, ""},
    {"tcp_syncookies", 0, 2, ""},
    {"tcp_thin_linear_timeouts", 0, 1, ""},
    {"tcp_timestamps", 0, 2, ""},
    {"tcp_tso_rtt_log", 0, 255, ""},
    {"tcp_tso_win_divisor", 0, 255, ""},
    {"tcp_tw_reuse", 0, 2, ""},
    {"tcp_tw_reuse_delay", 1, 600000, "ms"},
    {"tcp_window_scaling", 0, 1, ""},
    {"tcp_workaround_signed_windows", 0, 1, ""},
};

// Writable from a child namespace (nf_conntrack_max, _buckets and _expect_max are not).
// Conntrack timeouts matter to firewall faults: when an entry expires, a stateful router
// drops the session's next packet, which is exactly the kind of death deadpeer measures.
constexpr SysctlInfo kNetfilter[] = {
    {"nf_conntrack_acct", 0, 1, ""},
    {"nf_conntrack_checksum", 0, 1, ""},
    {"nf_conntrack_events", 0, 2, ""},
    {"nf_conntrack_generic_timeout", 0, kJiffySecondsMax, "seconds"},
    {"nf_conntrack_icmp_timeout", 0, kJiffySecondsMax, "seconds"},
    {"nf_conntrack_log_invalid", 0, 255, ""},
    {"nf_conntrack_tcp_be_liberal", 0, 1, ""},
    {"nf_conntrack_tcp_ignore_invalid_rst", 0, 1, ""},
    {"nf_conntrack_tcp_loose", 0, 1, ""},
    {"nf_conntrack_tcp_max_retrans", 0, 255, ""},
    {"nf_conntrack_tcp_timeout_close", 0, kJiffySecondsMax, "seconds"},
    {"nf_conntrack_tcp_timeout_close_wait", 0, kJiffySecondsMax, "seconds"},
    {"nf_conntrack_tcp_timeout_established", 0, kJiffySecondsMax, "seconds"},
    {"nf_conntrack_tcp_timeout_fin_wait", 0, kJiffySecondsMax, "seconds"},
    {"nf_conntrack_tcp_timeout_last_ack", 0, kJiffySecondsMax, "seconds"},
    {"nf_conntrack_tcp_timeout_max_retrans", 0, kJiffySecondsMax, "seconds"},
    {"nf_conntrack_tcp_timeout_syn_recv", 0, kJiffySecondsMax, "seconds"},
    {"nf_conntrack_tcp_timeout_syn_sent", 0, kJiffySecondsMax, "seconds"},
    {"nf_conntrack_tcp_timeout_time_wait", 0, kJiffySecondsMax, "seconds"},
    {"nf_conntrack_tcp_timeout_unacknowledged", 0, kJiffySecondsMax, "seconds"},
    {"nf_conntrack_timestamp", 0, 1, ""},
    {"nf_conntrack_udp_timeout", 0, kJiffySecondsMax, "seconds"},
    {"nf_conntrack_udp_timeout_stream", 0, kJiffySecondsMax, "seconds"},
};

template <std::size_t N>
const SysctlInfo* find_in(const SysctlInfo (&table)[N], std::string_view name) {
  auto it = std::find_if(std::begin(table), std::end(table), [&](const SysctlInfo& s) { return s.name == name; });
  return it == std::end(table) ? nullptr : &*it;
}

bool is_netfilter(std::string_view name) { return name.substr(0, 3) == "nf_"; }

}  // namespace

std::string to_string(KernelSide side) {
  switch (side) {
    case KernelSide::client: return "client";
    case KernelSide::server: return "server";
    case KernelSide::router: return "router";
  }
  return "?";
}

std::optional<KernelSide> kernel_side_from_string(std::string_view s) {
  if (s == "client") return KernelSide::client;
  if (s == "server") return KernelSide::server;
  if (s == "router") return KernelSide::router;
  return std::nullopt;
}

const SysctlInfo* find_sysctl(std::string_view name, KernelSide side) {
  if (const SysctlInfo* s = find_in(kIpv4, name)) return s;
  if (side == KernelSide::router) return find_in(kNetfilter, name);
  return nullptr;
}

std::vector<std::string> sysctl_names(KernelSide side) {
  std::vector<std::string> names;
  for (const auto& s : kIpv4) names.emplace_back(s.name);
  if (side == KernelSide::router)
    for (const auto& s : kNetfilter) names.emplace_back(s.name);
  return names;
}

std::string sysctl_full_name(std::string_view name) {
  return std::string(is_netfilter(name) ? "net.netfilter." : "net.ipv4.") + std::string(name);
}

std::string sysctl_proc_path(std::string_view name) {
  std::string path = sysctl_full_name(name);
  std::replace(path.begin(), path.end(), '.', '/');
  return path;
}

}  // namespace deadpeer::scenario
