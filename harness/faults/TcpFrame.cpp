#include "faults/TcpFrame.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <fmt/format.h>

#include "sys/SystemError.hpp"

namespace deadpeer::faults {
namespace {

std::uint16_t rd16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }
std::uint32_t rd32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
         static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}
void wr16(std::uint8_t* p, std::uint16_t v) { p[0] = v >> 8, p[1] = v & 0xff; }
void wr32(std::uint8_t* p, std::uint32_t v) { wr16(p, v >> 16), wr16(p + 2, v & 0xffff); }

constexpr std::size_t kEth = 14, kIp = 20, kTcp = 20;

}  // namespace

std::uint16_t internet_checksum(std::span<const std::uint8_t> data, std::uint32_t sum) {
  std::size_t i = 0;
  for (; i + 1 < data.size(); i += 2) sum += rd16(&data[i]);
  if (i < data.size()) sum += static_cast<std::uint32_t>(data[i]) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

FrameView FrameView::parse(std::span<const std::uint8_t> f) {
  FrameView v;
  if (f.size() < kEth) return v;
  std::memcpy(v.eth_dst.data(), &f[0], 6);
  std::memcpy(v.eth_src.data(), &f[6], 6);
  v.ethertype = rd16(&f[12]);
  if (v.ethertype != 0x0800 || f.size() < kEth + kIp) return v;
  const std::uint8_t* ip = &f[kEth];
  const std::size_t ihl = (ip[0] & 0x0f) * 4u;
  if ((ip[0] >> 4) != 4 || ihl < kIp || f.size() < kEth + ihl) return v;
  v.ipv4 = true;
  v.ip_offset = kEth;
  v.ip_total_len = std::min<std::size_t>(rd16(ip + 2), f.size() - kEth);
  v.ttl = ip[8];
  v.ip_proto = ip[9];
  v.ip_src = rd32(ip + 12);
  v.ip_dst = rd32(ip + 16);
  if (v.ip_proto != 6 || v.ip_total_len < ihl + kTcp) return v;
  const std::uint8_t* t = ip + ihl;
  const std::size_t doff = (t[12] >> 4) * 4u;
  if (doff < kTcp || ihl + doff > v.ip_total_len) return v;
  v.tcp = true;
  v.tcp_offset = kEth + ihl;
  v.sport = rd16(t);
  v.dport = rd16(t + 2);
  v.seq = rd32(t + 4);
  v.ack = rd32(t + 8);
  v.flags = t[13];
  v.window = rd16(t + 14);
  v.payload_offset = kEth + ihl + doff;
  v.payload_len = v.ip_total_len - ihl - doff;
  // Options, each checked against its RFC length; a malformed list stops the walk (the kernel
  // drops such segments anyway, and what was read before stays valid).
  for (std::size_t i = kTcp; i < doff;) {
    const std::uint8_t kind = t[i];
    if (kind == 0) break;
    if (kind == 1) { ++i; continue; }
    if (i + 1 >= doff || t[i + 1] < 2 || i + t[i + 1] > doff) break;
    const std::uint8_t len = t[i + 1];
    if (kind == 2 && len == 4) v.mss = rd16(t + i + 2);
    if (kind == 3 && len == 3) v.wscale = t[i + 2];
    if (kind == 4 && len == 2) v.sack_permitted = true;
    if (kind == 8 && len == 10) v.ts_val = rd32(t + i + 2), v.ts_ecr = rd32(t + i + 6);
    i += len;
  }
  return v;
}

std::string FrameView::str() const {
  if (!ipv4) return fmt::format("ethertype 0x{:04x}", ethertype);
  if (!tcp) return fmt::format("{} > {} proto {}", ipv4_to_string(ip_src), ipv4_to_string(ip_dst), ip_proto);
  std::string f;
  for (auto [bit, c] : {std::pair{tcpflag::syn, 'S'}, {tcpflag::fin, 'F'}, {tcpflag::rst, 'R'}, {tcpflag::psh, 'P'},
                        {tcpflag::ack, 'A'}})
    if (flags & bit) f += c;
  return fmt::format("{}:{} > {}:{} [{}] seq {} ack {} len {}", ipv4_to_string(ip_src), sport, ipv4_to_string(ip_dst),
                     dport, f, seq, ack, payload_len);
}

std::uint32_t ipv4_from_string(const std::string& dotted) {
  in_addr a{};
  if (::inet_pton(AF_INET, dotted.c_str(), &a) != 1) throw sys::Error("not an IPv4 address: '" + dotted + "'");
  return ntohl(a.s_addr);
}

std::string ipv4_to_string(std::uint32_t addr) {
  return fmt::format("{}.{}.{}.{}", addr >> 24, (addr >> 16) & 0xff, (addr >> 8) & 0xff, addr & 0xff);
}

namespace {

// Linux's layout: MSS, then SACK-permitted folded into the timestamp's padding, then NOP + WS,
// so every option sits on the alignment the kernel's fast path expects.
std::vector<std::uint8_t> tcp_options(const TcpSegment& s) {
  std::vector<std::uint8_t> o;
  auto put32 = [&](std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) o.push_back(static_cast<std::uint8_t>(v >> shift));
  };
  if (s.mss) o.insert(o.end(), {2, 4, static_cast<std::uint8_t>(*s.mss >> 8), static_cast<std::uint8_t>(*s.mss)});
  if (s.ts_val) {
    if (s.sack_permitted) o.insert(o.end(), {4, 2, 8, 10});
    else o.insert(o.end(), {1, 1, 8, 10});
    put32(*s.ts_val);
    put32(s.ts_ecr.value_or(0));
  } else if (s.sack_permitted) {
    o.insert(o.end(), {1, 1, 4, 2});
  }
  if (s.wscale) o.insert(o.end(), {1, 3, 3, *s.wscale});
  return o;  // always a multiple of 4 bytes
}

}  // namespace

std::vector<std::uint8_t> TcpSegment::frame() const {
  const std::vector<std::uint8_t> options = tcp_options(*this);
  const std::size_t opts = options.size();
  const std::size_t tcp_len = kTcp + opts + payload.size();
  std::vector<std::uint8_t> f(kEth + kIp + tcp_len, 0);
  std::memcpy(&f[0], eth_dst.data(), 6);
  std::memcpy(&f[6], eth_src.data(), 6);
  wr16(&f[12], 0x0800);
  std::uint8_t* ip = &f[kEth];
  ip[0] = 0x45;
  wr16(ip + 2, static_cast<std::uint16_t>(kIp + tcp_len));
  wr16(ip + 6, 0x4000);  // DF, like the kernel's own segments
  ip[8] = ttl;
  ip[9] = 6;
  wr32(ip + 12, ip_src);
  wr32(ip + 16, ip_dst);
  wr16(ip + 10, internet_checksum({ip, kIp}));
  std::uint8_t* t = ip + kIp;
  wr16(t, sport);
  wr16(t + 2, dport);
  wr32(t + 4, seq);
  wr32(t + 8, ack);
  t[12] = static_cast<std::uint8_t>(((kTcp + opts) / 4) << 4);
  t[13] = flags;
  wr16(t + 14, window);
  if (opts) std::memcpy(t + kTcp, options.data(), opts);
  if (!payload.empty()) std::memcpy(t + kTcp + opts, payload.data(), payload.size());
  // Pseudo-header: source, destination, zero, protocol, TCP length.
  std::uint8_t pseudo[12];
  wr32(pseudo, ip_src);
  wr32(pseudo + 4, ip_dst);
  pseudo[8] = 0, pseudo[9] = 6;
  wr16(pseudo + 10, static_cast<std::uint16_t>(tcp_len));
  std::uint32_t sum = 0;
  for (int i = 0; i < 12; i += 2) sum += rd16(pseudo + i);
  wr16(t + 16, internet_checksum({t, tcp_len}, sum));
  return f;
}

}  // namespace deadpeer::faults
