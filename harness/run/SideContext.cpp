#include "run/SideContext.hpp"

#include <strings.h>

namespace deadpeer::run {
namespace {

bool positive(const std::optional<std::string>& v) {
  if (!v) return false;
  try {
    return std::stol(*v) > 0;
  } catch (...) {
    return false;  // time values like "5s" are validated by ssh itself; treat as unknown
  }
}

}  // namespace

std::optional<std::string> SideContext::option(const std::vector<scenario::Setting>& settings, const std::string& key) {
  std::optional<std::string> found;
  for (const auto& s : settings)  // the first value wins, as in ssh_config/sshd_config
    if (!found && ::strcasecmp(s.key.c_str(), key.c_str()) == 0) found = scenario::render(s.value);
  return found;
}

observe::TcpHint SideContext::client_hint() const {
  if (sc_.traffic.pattern != scenario::Pattern::idle) return observe::TcpHint::data_in_flight;
  return positive(option(sc_.client, "ServerAliveInterval")) ? observe::TcpHint::data_in_flight : observe::TcpHint::idle;
}

observe::TcpHint SideContext::server_hint() const {
  if (sc_.traffic.pattern == scenario::Pattern::stream) return observe::TcpHint::data_in_flight;
  return positive(option(sc_.server, "ClientAliveInterval")) ? observe::TcpHint::data_in_flight : observe::TcpHint::idle;
}

}  // namespace deadpeer::run
