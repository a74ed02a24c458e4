#include "faults/TapDevice.hpp"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

#include "sys/Log.hpp"
#include "sys/Netns.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::faults {

TapDevice TapDevice::create(const sys::Netns& ns, const std::string& name) {
  const std::string what = "tap " + name + " in " + ns.name();
  if (name.size() >= IFNAMSIZ) throw sys::Error("create " + what + ": name longer than " + std::to_string(IFNAMSIZ - 1));
  sys::UniqueFd fd;
  MacAddress mac{};
  // TUNSETIFF creates the device in the namespace of the calling thread; the fd works from
  // any thread afterwards.
  ns.run([&] {
    fd = sys::UniqueFd(::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC));
    if (!fd) sys::throw_errno("open /dev/net/tun for " + what);
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    sys::check(::ioctl(fd.get(), TUNSETIFF, &ifr), "TUNSETIFF " + what);
    sys::UniqueFd ctl(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!ctl) sys::throw_errno("socket for ioctls on " + what);
    sys::check(::ioctl(ctl.get(), SIOCGIFHWADDR, &ifr), "SIOCGIFHWADDR " + what);
    std::memcpy(mac.data(), ifr.ifr_hwaddr.sa_data, mac.size());
    sys::check(::ioctl(ctl.get(), SIOCGIFFLAGS, &ifr), "SIOCGIFFLAGS " + what);
    ifr.ifr_flags |= IFF_UP;
    sys::check(::ioctl(ctl.get(), SIOCSIFFLAGS, &ifr), "set up " + what);
  });
  sys::log("faults").debug("created {} ({})", what, to_string(mac));
  return TapDevice(std::move(fd), name, ns.name(), mac);
}

TapDevice::~TapDevice() {
  if (fd_) sys::log("faults").debug("deleting tap {} in {}", name_, ns_name_);
}

std::size_t TapDevice::read(std::span<std::uint8_t> buf) {
  for (;;) {
    const ssize_t n = ::read(fd_.get(), buf.data(), buf.size());
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    if (errno == EAGAIN) return 0;
    sys::throw_errno("read tap " + name_ + " in " + ns_name_);
  }
}

void TapDevice::write(std::span<const std::uint8_t> frame) {
  for (;;) {
    if (::write(fd_.get(), frame.data(), frame.size()) >= 0) return;
    if (errno == EINTR) continue;
    sys::throw_errno("write " + std::to_string(frame.size()) + "-byte frame to tap " + name_ + " in " + ns_name_);
  }
}

}  // namespace deadpeer::faults
