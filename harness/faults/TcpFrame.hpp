#pragma once
// Ethernet + IPv4 + TCP frames, parsed and forged: what the user-space faults (impair relay,
// keepalive filter, spoofing middlebox) need to know about a packet, and how to make one the
// kernel will accept (correct IP and TCP checksums; MSS, SACK-permitted, timestamp and window
// scale options, laid out as Linux lays out its own).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "faults/PacketSocket.hpp"

namespace deadpeer::faults {

namespace tcpflag {
inline constexpr std::uint8_t fin = 0x01, syn = 0x02, rst = 0x04, psh = 0x08, ack = 0x10;
}

// A read-only view of one frame. Only IPv4 is parsed: the lab disables IPv6.
struct FrameView {
  MacAddress eth_dst{}, eth_src{};
  std::uint16_t ethertype = 0;
  bool ipv4 = false;
  std::uint32_t ip_src = 0, ip_dst = 0;  // host byte order
  std::uint8_t ip_proto = 0, ttl = 0;
  std::size_t ip_offset = 0, ip_total_len = 0;
  // TCP (when ip_proto == 6 and the header is complete)
  bool tcp = false;
  std::uint16_t sport = 0, dport = 0;
  std::uint32_t seq = 0, ack = 0;
  std::uint8_t flags = 0;
  std::uint16_t window = 0;
  std::size_t tcp_offset = 0, payload_offset = 0, payload_len = 0;
  // Options a tracker needs: timestamps (PAWS, on every segment when negotiated), and the
  // handshake's MSS, window scale and SACK-permitted.
  std::optional<std::uint32_t> ts_val, ts_ecr;
  std::optional<std::uint16_t> mss;
  std::optional<std::uint8_t> wscale;
  bool sack_permitted = false;

  // Parses what it can; never reads past `frame`.
  static FrameView parse(std::span<const std::uint8_t> frame);
  bool has(std::uint8_t f) const { return (flags & f) != 0; }
  // "198.51.100.2:40022 > 203.0.113.2:22 [A] seq 1 ack 2 len 0", for logs and test messages.
  std::string str() const;
};

std::uint32_t ipv4_from_string(const std::string& dotted);  // host byte order; throws on garbage
std::string ipv4_to_string(std::uint32_t addr);

// A TCP segment to forge. Each option is included when set; timestamps when ts_val is set.
struct TcpSegment {
  MacAddress eth_src{}, eth_dst{};
  std::uint32_t ip_src = 0, ip_dst = 0;
  std::uint16_t sport = 0, dport = 0;
  std::uint32_t seq = 0, ack = 0;
  std::uint8_t flags = tcpflag::ack;
  std::uint16_t window = 0;
  std::uint8_t ttl = 64;
  std::optional<std::uint32_t> ts_val, ts_ecr;
  std::optional<std::uint16_t> mss;
  std::optional<std::uint8_t> wscale;
  bool sack_permitted = false;
  std::vector<std::uint8_t> payload;

  std::vector<std::uint8_t> frame() const;  // with valid IPv4 and TCP checksums
};

// The Internet checksum (RFC 1071) of `data`, starting from a partial sum.
std::uint16_t internet_checksum(std::span<const std::uint8_t> data, std::uint32_t sum = 0);

}  // namespace deadpeer::faults
