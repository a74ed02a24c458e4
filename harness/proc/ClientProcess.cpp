#include "proc/ClientProcess.hpp"
#include "sys/HostGuard.hpp"

#include "proc/DropbearClient.hpp"
#include "proc/SshClient.hpp"
#include "sys/Interrupt.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::proc {

std::unique_ptr<ClientProcess> ClientProcess::start(scenario::Implementation impl, const ClientSpec& spec,
                                                    observe::Observer& observer) {
  sys::HostGuard::require_lab(spec.netns, "start the ssh client");
  switch (impl) {
    case scenario::Implementation::openssh: return std::make_unique<SshClient>(spec, observer);
    case scenario::Implementation::dropbear: return std::make_unique<DropbearClient>(spec, observer);
  }
  throw sys::Error("start client: unknown implementation " + scenario::to_string(impl));
}

void ClientProcess::wait_for_marker(observe::Observer& observer, sys::TimePoint deadline, const std::string& program) {
  bool exited = false;
  const bool ok = observer.wait_until(
      [&](const std::vector<observe::Event>& evs) {
        for (const auto& e : evs) {
          if (e.source == kExit && e.kind == observe::Event::Kind::exit) exited = true;
          if (e.source == kStdout && e.text == kReadyMarker) return true;
        }
        return exited;
      },
      deadline);
  if (ok && !exited) return;
  std::string err;
  for (const auto& e : observer.events())
    if (e.source == kStderr) err += "\n  " + e.text;
  if (sys::Interrupt::requested()) throw sys::Error("interrupted while connecting " + program);
  throw sys::Error(program + (exited ? " exited before the session was up" : " session not up in time") +
                   (err.empty() ? " (no stderr)" : ":" + err));
}

}  // namespace deadpeer::proc
