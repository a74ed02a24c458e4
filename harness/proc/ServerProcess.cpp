#include "proc/ServerProcess.hpp"
#include "sys/HostGuard.hpp"

#include <pwd.h>

#include "proc/DropbearServer.hpp"
#include "proc/SshServer.hpp"
#include "sys/Interrupt.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::proc {

std::unique_ptr<ServerProcess> ServerProcess::start(scenario::Implementation impl, const ServerSpec& spec,
                                                    observe::Observer& observer) {
  // Never in the host's namespace: a server there would listen on the host's network.
  sys::HostGuard::require_lab(spec.netns, "start the ssh server");
  switch (impl) {
    case scenario::Implementation::openssh: return std::make_unique<SshServer>(spec, observer);
    case scenario::Implementation::dropbear: return std::make_unique<DropbearServer>(spec, observer);
  }
  throw sys::Error("start server: unknown implementation " + scenario::to_string(impl));
}

std::string ServerProcess::login_home() {
  passwd pw{};
  passwd* found = nullptr;
  char buf[4096];
  if (::getpwnam_r(kLoginUser, &pw, buf, sizeof buf, &found) != 0 || !found)
    throw sys::Error(std::string("look up user ") + kLoginUser + " in the passwd database: not found");
  const std::string home = found->pw_dir ? found->pw_dir : "";
  // Mounting over "/" would hide the whole file system from dropbear's sessions.
  if (home.empty() || home == "/")
    throw sys::Error(std::string("home directory of ") + kLoginUser + " is '" + home +
                     "': the sessions' home cannot be replaced there");
  return home;
}

void ServerProcess::wait_for_log_line(observe::Observer& observer, sys::TimePoint deadline, const std::string& marker,
                                      const std::string& program) {
  bool exited = false;
  const bool ok = observer.wait_until(
      [&](const std::vector<observe::Event>& evs) {
        for (const auto& e : evs) {
          if (e.source == kListenerExit && e.kind == observe::Event::Kind::exit) exited = true;
          if (e.source == kLogSource && e.text.find(marker) != std::string::npos) return true;
        }
        return exited;
      },
      deadline);
  if (ok && !exited) return;
  std::string log;
  for (const auto& e : observer.events())
    if (e.source == kLogSource) log += "\n  " + e.text;
  if (sys::Interrupt::requested()) throw sys::Error("interrupted while starting " + program);
  throw sys::Error(program + (exited ? " exited before listening" : " did not listen in time") +
                   (log.empty() ? " (no log output)" : ":" + log));
}

}  // namespace deadpeer::proc
