#pragma once
// The baseline of the `lab` row: the same three-host lab as lab::Lab (same names, addresses,
// routes and sysctls), built the way a shell script does it, one `ip` command per step:
//
//   ip netns add <p>-c | <p>-s | <p>-r           ip -n <ns> link set lo up (each)
//   ip netns exec <ns> sysctl -w net.ipv6.conf.{all,default}.disable_ipv6=1 [net.ipv4.ip_forward=1]
//   ip -n <p>-r link add rc type veth peer name c0 netns <p>-c   (and rs ⇄ s0 in <p>-s)
//   ip -n <p>-r addr add … dev rc|rs; link set rc|rs up
//   ip -n <p>-c addr add … dev c0; link set c0 up; route add default via …   (and the server)
//   teardown: ip netns del (each)
//
// The names follow deadpeer's pattern (dp<run id>-…), so `deadpeer cleanup` removes them if the
// bench is killed halfway; the destructor removes whatever is left if a command failed.
#include <string>
#include <vector>

namespace deadpeer::bench {

class IpShellLab {
 public:
  // Builds the lab; throws (after removing what it created) if a command fails.
  explicit IpShellLab(const std::string& prefix);
  IpShellLab(const IpShellLab&) = delete;
  IpShellLab& operator=(const IpShellLab&) = delete;
  // Removes the namespaces with `ip netns del`, as the script would. Idempotent.
  void teardown();
  ~IpShellLab();  // removes anything left without a command (never throws)

 private:
  void ip(const std::vector<std::string>& args);
  void remove_quietly() noexcept;  // without commands: umount and unlink what is left
  std::vector<std::string> created_;  // namespace names, in creation order
};

}  // namespace deadpeer::bench
