#pragma once
// Errors that say what was attempted and on what object: "setns dp3a-0-r: Operation not permitted".
#include <cerrno>
#include <string>
#include <system_error>

namespace deadpeer::sys {

// Throws std::system_error for the current errno, with `what` naming the action and its object.
[[noreturn]] void throw_errno(const std::string& what);
[[noreturn]] void throw_errno(int err, const std::string& what);

// Returns rv when it is not negative; otherwise throws for errno (syscall convention).
inline long check(long rv, const std::string& what) {
  if (rv < 0) throw_errno(what);
  return rv;
}

// Runtime failure that is not an errno (a peer binary misbehaved, a deadline passed...).
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace deadpeer::sys
