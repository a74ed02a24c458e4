#include "sys/SystemError.hpp"

namespace deadpeer::sys {

void throw_errno(const std::string& what) { throw_errno(errno, what); }

void throw_errno(int err, const std::string& what) {
  throw std::system_error(err, std::generic_category(), what);
}

}  // namespace deadpeer::sys
