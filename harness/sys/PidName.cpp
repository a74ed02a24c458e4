#include "sys/PidName.hpp"

#include <unistd.h>

namespace deadpeer::sys {

bool creator_gone(const std::string& name, const std::string& prefix) {
  if (name.rfind(prefix, 0) != 0) return false;
  const std::string pid = name.substr(prefix.size(), name.find('-', prefix.size()) - prefix.size());
  if (pid.empty() || pid.find_first_not_of("0123456789") != std::string::npos) return false;
  return ::access(("/proc/" + pid).c_str(), F_OK) != 0;
}

}  // namespace deadpeer::sys
