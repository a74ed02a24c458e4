#pragma once
// A TAP device (IFF_TAP | IFF_NO_PI) created inside one namespace and owned by its file
// descriptor: the kernel deletes the device when the fd closes, so the object is the device.
//
// The user-space path uses one per router link. Frames the kernel transmits on the device
// (nftables `fwd to` it) are read from the fd; frames written to the fd are received by the
// kernel as if they had arrived on the device. Without TUNSETOFFLOAD the device advertises no
// checksum or segmentation offload, so the kernel completes checksums and splits GSO packets
// before handing them over: user space always reads wire-sized frames with valid checksums.
#include <cstdint>
#include <span>
#include <string>

#include "faults/PacketSocket.hpp"
#include "sys/UniqueFd.hpp"

namespace deadpeer::sys {
class Netns;
}

namespace deadpeer::faults {

class TapDevice {
 public:
  // Creates `name` in `ns` and sets it up; non-blocking, close-on-exec.
  static TapDevice create(const sys::Netns& ns, const std::string& name);
  TapDevice(TapDevice&&) noexcept = default;
  TapDevice& operator=(TapDevice&&) noexcept = default;
  ~TapDevice();

  int fd() const { return fd_.get(); }
  const std::string& name() const { return name_; }
  const MacAddress& mac() const { return mac_; }

  // One frame into `buf`: its length, or 0 when none is waiting.
  std::size_t read(std::span<std::uint8_t> buf);
  // Hands one whole Ethernet frame to the kernel as received on this device.
  void write(std::span<const std::uint8_t> frame);

 private:
  TapDevice(sys::UniqueFd fd, std::string name, std::string ns_name, MacAddress mac)
      : fd_(std::move(fd)), name_(std::move(name)), ns_name_(std::move(ns_name)), mac_(mac) {}
  sys::UniqueFd fd_;
  std::string name_;
  std::string ns_name_;
  MacAddress mac_{};
};

}  // namespace deadpeer::faults
