#include "proc/ReservedOptions.hpp"

#include <algorithm>
#include <set>

namespace deadpeer::proc {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

const std::set<std::string>& reserved(OptionSide side) {
  static const std::set<std::string> server = {
      "listenaddress", "port",       "hostkey",    "pidfile", "authorizedkeysfile", "usepam",
      "loglevel",      "syslogfacility", "match",  "include", "permitrootlogin",    "pubkeyauthentication",
      "authorizedkeyscommand", "authorizedkeyscommanduser", "chrootdirectory", "forcecommand"};
  static const std::set<std::string> client = {
      "hostname",    "port",         "user",          "identityfile",        "identitiesonly",
      "userknownhostsfile", "globalknownhostsfile", "stricthostkeychecking", "batchmode", "loglevel",
      "controlmaster", "controlpath", "controlpersist", "requesttty",  "proxycommand", "proxyjump",
      "include",     "host",         "match",         "remotecommand",       "localcommand",
      "permitlocalcommand", "sessiontype", "stdinnull", "forkafterauthentication"};
  return side == OptionSide::server ? server : client;
}

}  // namespace

bool is_reserved(OptionSide side, const std::string& keyword) { return reserved(side).count(lower(keyword)) > 0; }

std::vector<scenario::Diagnostic> reserved_option_diagnostics(OptionSide side,
                                                              const std::vector<scenario::Setting>& settings) {
  std::vector<scenario::Diagnostic> out;
  for (const auto& s : settings)
    if (is_reserved(side, s.key))
      out.push_back({s.loc,
                     "option '" + s.key + "' is set by deadpeer itself and cannot be changed by a scenario",
                     side == OptionSide::server ? "the lab's sshd listens on its own address with its own keys"
                                                : "the lab's ssh connects with its own keys and log level"});
  return out;
}

}  // namespace deadpeer::proc
