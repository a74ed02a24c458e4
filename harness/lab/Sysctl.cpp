#include "lab/Sysctl.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "sys/Log.hpp"
#include "sys/Netns.hpp"
#include "sys/SystemError.hpp"
#include "sys/UniqueFd.hpp"

namespace deadpeer::lab {

std::string Sysctl::path_of(const std::string& name) {
  if (name.find("..") != std::string::npos || name.find('/') != std::string::npos)
    throw sys::Error("sysctl name " + name + ": expected dotted form such as net.ipv4.tcp_keepalive_time");
  std::string rel = name;
  std::replace(rel.begin(), rel.end(), '.', '/');
  return "/proc/sys/" + rel;
}

void Sysctl::write(const sys::Netns& ns, const std::string& name, const std::string& value) {
  const std::string path = path_of(name);
  ns.run([&] {
    sys::UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd) sys::throw_errno("sysctl -w " + name + "=" + value + " (netns " + ns.name() + ")");
    if (::write(fd.get(), value.data(), value.size()) < 0)
      sys::throw_errno("sysctl -w " + name + "=" + value + " (netns " + ns.name() + ")");
  });
  sys::log("lab").debug("sysctl {}={} in {}", name, value, ns.name());
}

std::string Sysctl::read(const sys::Netns& ns, const std::string& name) {
  const std::string path = path_of(name);
  std::string out;
  ns.run([&] {
    sys::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) sys::throw_errno("sysctl " + name + " (netns " + ns.name() + ")");
    char buf[256];
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) sys::throw_errno("sysctl " + name + " (netns " + ns.name() + ")");
    out.assign(buf, static_cast<size_t>(n));
  });
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace deadpeer::lab
