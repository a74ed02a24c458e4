#include "sys/HostGuard.hpp"

#include <sys/stat.h>

#include <algorithm>

#include "sys/Netns.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::sys {
namespace {

// Read during static initialisation, i.e. before main and before any thread exists, so no
// Netns::run visit can be in progress: this is the namespace the process was started in.
// /proc/self names the thread-group leader, which is the only thread at that point.
const std::optional<NsId> kStartNs = HostGuard::id_of_path("/proc/self/ns/net");

std::string describe(const NsId& id) {
  return "net:[" + std::to_string(id.ino) + "] on dev " + std::to_string(id.dev);
}

}  // namespace

NsId HostGuard::id_of_fd(int ns_fd) {
  struct stat st {};
  if (::fstat(ns_fd, &st) < 0) throw_errno("fstat netns fd " + std::to_string(ns_fd));
  return NsId{st.st_dev, st.st_ino};
}

std::optional<NsId> HostGuard::id_of_path(const std::string& path) {
  struct stat st {};
  // stat follows the magic link; EACCES is expected for /proc/1 in some containers.
  if (::stat(path.c_str(), &st) < 0) return std::nullopt;
  return NsId{st.st_dev, st.st_ino};
}

std::vector<NsId> HostGuard::host_namespaces() {
  std::vector<NsId> out;
  if (kStartNs) out.push_back(*kStartNs);
  if (auto init = id_of_path("/proc/1/ns/net"); init && std::find(out.begin(), out.end(), *init) == out.end())
    out.push_back(*init);
  return out;
}

bool HostGuard::is_host(int ns_fd) {
  const NsId id = id_of_fd(ns_fd);
  const auto hosts = host_namespaces();
  return std::find(hosts.begin(), hosts.end(), id) != hosts.end();
}

bool HostGuard::is_host(const Netns& ns) { return is_host(ns.fd()); }

bool HostGuard::thread_in_host() {
  const auto self = id_of_path("/proc/thread-self/ns/net");
  if (!self) throw_errno("stat /proc/thread-self/ns/net");
  const auto hosts = host_namespaces();
  return std::find(hosts.begin(), hosts.end(), *self) != hosts.end();
}

void HostGuard::require_lab(const Netns* ns, const std::string& what) {
  if (!ns)
    throw Error("refusing to " + what + " without a lab namespace: it would act on the host's network");
  if (is_host(*ns))
    throw Error("refusing to " + what + " in netns " + ns->name() + ": it is the host's network namespace (" +
                describe(id_of_fd(ns->fd())) + ")");
}

void HostGuard::require_lab_thread(const std::string& what) {
  if (thread_in_host())
    throw Error("refusing to " + what + ": the calling thread is in the host's network namespace, not a lab's");
}

}  // namespace deadpeer::sys
