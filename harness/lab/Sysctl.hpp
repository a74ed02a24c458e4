#pragma once
// Per-namespace sysctls (net.ipv4.tcp_keepalive_time, net.netfilter.nf_conntrack_tcp_loose, ...).
// /proc/sys/net shows the namespace of the task that opens it, so reads and writes happen on a
// thread inside the namespace. The host's own values are never touched.
#include <string>

namespace deadpeer::sys {
class Netns;
}

namespace deadpeer::lab {

class Sysctl {
 public:
  // name in dotted form: "net.ipv4.tcp_keepalive_time".
  static void write(const sys::Netns& ns, const std::string& name, const std::string& value);
  static std::string read(const sys::Netns& ns, const std::string& name);
  static std::string path_of(const std::string& name);  // "/proc/sys/net/ipv4/tcp_keepalive_time"
};

}  // namespace deadpeer::lab
