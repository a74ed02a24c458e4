#include "faults/Crash.hpp"

#include "lab/Lab.hpp"
#include "proc/Cgroup.hpp"
#include "sys/Log.hpp"

namespace deadpeer::faults {

void Crash::crash_server(lab::Lab& lab, proc::Cgroup& server_cgroup) {
  // The link goes first: killed processes close their sockets, and the FIN or RST that close
  // sends must not reach the client — a crashed host says nothing.
  lab.router().rtnl().link_delete(lab::Ifnames::router_to_server);
  server_cgroup.kill();
  sys::log("faults").debug("server of {} crashed", lab.prefix());
}

}  // namespace deadpeer::faults
