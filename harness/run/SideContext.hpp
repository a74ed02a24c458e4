#pragma once
// What each side of a case was doing when the peer died, read from its settings: whether it had
// data in flight (its own SSH keepalives or the traffic pattern put unacknowledged bytes on the
// wire) — which decides whether an ETIMEDOUT came from keepalive or retransmission.
#include <optional>
#include <string>

#include "observe/CauseClassifier.hpp"
#include "scenario/Scenario.hpp"

namespace deadpeer::run {

class SideContext {
 public:
  explicit SideContext(const scenario::Scenario& sc) : sc_(sc) {}
  observe::TcpHint client_hint() const;
  observe::TcpHint server_hint() const;
  // Case-insensitive lookup of an ssh/sshd option's rendered value.
  static std::optional<std::string> option(const std::vector<scenario::Setting>& settings, const std::string& key);

 private:
  const scenario::Scenario& sc_;
};

}  // namespace deadpeer::run
