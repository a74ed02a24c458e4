#include "model/SideConfig.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace deadpeer::model {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\"");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\"");
  return s.substr(b, e - b + 1);
}

// Sysctl keys may come with or without "net.ipv4." (the scenario strips it, users may not).
std::optional<long> sysctl(const std::map<std::string, long>& k, const std::string& name) {
  for (const auto& [key, value] : k) {
    std::string bare = lower(key);
    if (bare.rfind("net.ipv4.", 0) == 0) bare = bare.substr(9);
    if (bare == name) return value;
  }
  return std::nullopt;
}

KernelTcp kernel(const std::map<std::string, long>& k) {
  KernelTcp t;
  if (auto v = sysctl(k, "tcp_keepalive_time")) t.keepalive_time_s = double(*v);
  if (auto v = sysctl(k, "tcp_keepalive_intvl")) t.keepalive_intvl_s = double(*v);
  if (auto v = sysctl(k, "tcp_keepalive_probes")) t.keepalive_probes = *v;
  if (auto v = sysctl(k, "tcp_retries2")) t.retries2 = *v;
  if (auto v = sysctl(k, "tcp_rto_min_us")) t.rto_min_s = double(*v) / 1e6;
  if (auto v = sysctl(k, "tcp_rto_max_ms")) t.rto_max_s = double(*v) / 1e3;
  return t;
}

long time_option(const std::map<std::string, std::string>& opts, const std::string& key, long dflt,
                 std::vector<std::string>& notes) {
  const auto raw = option(opts, key);
  if (!raw) return dflt;
  if (const auto v = parse_ssh_time(*raw)) return *v;
  notes.push_back(key + " '" + *raw + "' is not a time; using " + std::to_string(dflt));
  return dflt;
}

long int_option(const std::map<std::string, std::string>& opts, const std::string& key, long dflt,
                std::vector<std::string>& notes) {
  const auto raw = option(opts, key);
  if (!raw) return dflt;
  try {
    size_t used = 0;
    const long v = std::stol(trim(*raw), &used);
    if (used == trim(*raw).size()) return v;
  } catch (const std::exception&) {
  }
  notes.push_back(key + " '" + *raw + "' is not an integer; using " + std::to_string(dflt));
  return dflt;
}

SideConfig make(const Inputs& in, Side side) {
  SideConfig c;
  c.side = side;
  const bool client = side == Side::client;
  c.impl = client ? in.client_impl : in.server_impl;
  c.version = client ? in.client_version : in.server_version;
  c.tcp = kernel(client ? in.kernel_client : in.kernel_server);
  const auto& opts = client ? in.client : in.server;

  c.alive_interval_s = std::max(0L, time_option(opts, c.interval_option(), 0, c.notes));
  if (c.dropbear()) {
    // Dropbear has no count: common-session.c gives up after DEFAULT_KEEPALIVE_LIMIT (3)
    // keepalive intervals without a received packet, and never sets SO_KEEPALIVE.
    if (option(opts, c.count_option()))
      c.notes.push_back(c.count_option() + " ignored: " + c.program() + " gives up after 3 × -K");
    if (option(opts, "TCPKeepAlive")) c.notes.push_back("TCPKeepAlive ignored: Dropbear never sets SO_KEEPALIVE");
    c.alive_count_max = 3;
    c.so_keepalive = false;
    c.idle_timeout_s = std::max(0L, time_option(opts, "IdleTimeout", 0, c.notes));
  } else {
    c.alive_count_max = std::max(0L, int_option(opts, c.count_option(), 3, c.notes));
    if (const auto raw = option(opts, "TCPKeepAlive")) {
      if (const auto f = parse_flag(*raw))
        c.so_keepalive = *f;
      else
        c.notes.push_back("TCPKeepAlive '" + *raw + "' is not yes/no; using yes");
    }
    if (option(opts, "IdleTimeout")) c.notes.push_back("IdleTimeout ignored: it maps to Dropbear's -I only");
  }
  return c;
}

}  // namespace

std::string SideConfig::program() const {
  if (side == Side::client) return dropbear() ? "dbclient" : "ssh";
  return dropbear() ? "dropbear" : "sshd";
}

std::string SideConfig::interval_option() const {
  return side == Side::client ? "ServerAliveInterval" : "ClientAliveInterval";
}

std::string SideConfig::count_option() const {
  return side == Side::client ? "ServerAliveCountMax" : "ClientAliveCountMax";
}

SideConfig client_config(const Inputs& in) { return make(in, Side::client); }
SideConfig server_config(const Inputs& in) { return make(in, Side::server); }

std::optional<std::string> option(const std::map<std::string, std::string>& opts, const std::string& key) {
  const std::string want = lower(key);
  for (const auto& [k, v] : opts)
    if (lower(k) == want) return v;
  return std::nullopt;
}

std::optional<long> parse_ssh_time(const std::string& text) {
  // misc.c convtime(): a sequence of <number>[smhdw], case-insensitive; a bare number is seconds.
  const std::string s = lower(trim(text));
  if (s.empty()) return std::nullopt;
  long total = 0;
  size_t i = 0;
  while (i < s.size()) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
    long n = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      n = n * 10 + (s[i] - '0');
      if (n > 100'000'000) return std::nullopt;
      ++i;
    }
    long mult = 1;
    if (i < s.size()) {
      switch (s[i]) {
        case 's': mult = 1; break;
        case 'm': mult = 60; break;
        case 'h': mult = 3600; break;
        case 'd': mult = 86400; break;
        case 'w': mult = 604800; break;
        default: return std::nullopt;
      }
      ++i;
    }
    total += n * mult;
  }
  return total;
}

std::optional<bool> parse_flag(const std::string& text) {
  const std::string s = lower(trim(text));
  if (s == "yes" || s == "true" || s == "1" || s == "on") return true;
  if (s == "no" || s == "false" || s == "0" || s == "off") return false;
  return std::nullopt;
}

}  // namespace deadpeer::model
