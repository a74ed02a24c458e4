#pragma once
// What this kernel and this process can do, probed for real in a throwaway namespace (the
// host's own network is never touched): a feature counts as present only if using it worked.
#include <string>
#include <vector>

namespace deadpeer::lab {

struct Check {
  std::string name;    // "netns", "veth", "nftables", "conntrack", "netem", "tun"
  bool ok = false;
  bool required = false;  // a case cannot run without it
  std::string detail;     // what worked, or what failed and what to do
};

class Capabilities {
 public:
  static std::vector<Check> probe();
  static bool has(const std::vector<Check>& checks, const std::string& name);
  static bool can_run(const std::vector<Check>& checks);
  // Name of the probe namespace for this process; `cleanup` removes those of dead processes.
  static std::string probe_netns_name();
};

}  // namespace deadpeer::lab
