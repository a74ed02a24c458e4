#pragma once
// The last line of defence for "the host's network is never configured": before sshd or ssh
// starts, before a fault acts and before a sysctl is written, the namespace about to be used is
// compared with the host's. A Netns object can only come from Netns::create (a fresh namespace),
// so this never fires in correct code; it exists for the code that is not correct yet — a null
// netns pointer that means "stay where you are", or a thread that did not return from a visit.
//
// "Host" means either namespace a run must never touch: the one this process started in
// (captured before main, while no thread has entered a lab) and PID 1's, when it is readable
// (in a container it may not be: then the first one is the host as far as we can know).
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace deadpeer::sys {

class Netns;

// A namespace's identity: the (device, inode) of its nsfs file, as `ip netns identify` compares.
struct NsId {
  dev_t dev = 0;
  ino_t ino = 0;
  bool operator==(const NsId&) const = default;
};

class HostGuard {
 public:
  static NsId id_of_fd(int ns_fd);                               // throws on a bad fd
  static std::optional<NsId> id_of_path(const std::string& path);  // nullopt when unreadable
  // The host namespaces as defined above (one or two entries).
  static std::vector<NsId> host_namespaces();

  static bool is_host(int ns_fd);
  static bool is_host(const Netns& ns);
  // The calling thread's current namespace (inside Netns::run it must be false).
  static bool thread_in_host();

  // Throw sys::Error("refusing to <what> in the host's network namespace ...") when the target
  // is the host. A null `ns` is refused too: for a lab process it would mean "the host".
  static void require_lab(const Netns* ns, const std::string& what);
  static void require_lab_thread(const std::string& what);
};

}  // namespace deadpeer::sys
