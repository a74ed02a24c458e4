#include "netlink/NlError.hpp"

#include <netlink/errno.h>

namespace deadpeer::netlink {
namespace {
class NlCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "libnl"; }
  std::string message(int code) const override { return nl_geterror(code); }
};
}  // namespace

const std::error_category& nl_category() {
  static NlCategory category;
  return category;
}

int check_nl(int err, const std::string& what) {
  if (err < 0) throw std::system_error(-err, nl_category(), what);
  return err;
}

}  // namespace deadpeer::netlink
