#pragma once
// libnl returns negative NLE_* codes, not errno: they get their own error category so the text
// comes from nl_geterror() ("rtnl_link_add veth c0: Object exists").
#include <string>
#include <system_error>

namespace deadpeer::netlink {

const std::error_category& nl_category();

// Throws std::system_error(-err, nl_category(), what) when err < 0; returns err otherwise.
int check_nl(int err, const std::string& what);

}  // namespace deadpeer::netlink
