// TcpFrame: frames forged by TcpSegment parse back field for field; their IPv4 and TCP
// checksums are verified here by an independent, deliberately naive one's-complement sum (not
// internet_checksum); options are laid out byte for byte as Linux lays out its own; malformed
// and truncated frames never make the parser read past the buffer.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "faults/TcpFrame.hpp"

namespace deadpeer::faults {
namespace {

constexpr std::size_t kEth = 14, kIp = 20;

// One's-complement sum of 16-bit big-endian words, folded at the end (RFC 1071 §4.1 as
// written, with a 64-bit accumulator so no intermediate fold is needed).
std::uint16_t naive_sum(const std::vector<std::uint8_t>& bytes) {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < bytes.size(); i += 2) {
    const std::uint64_t hi = bytes[i];
    const std::uint64_t lo = i + 1 < bytes.size() ? bytes[i + 1] : 0;
    sum += hi * 256 + lo;
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(sum);
}

// A header whose checksum field is right sums to 0xffff.
bool ip_checksum_ok(const std::vector<std::uint8_t>& f) {
  return naive_sum({f.begin() + kEth, f.begin() + kEth + kIp}) == 0xffff;
}
bool tcp_checksum_ok(const std::vector<std::uint8_t>& f) {
  const std::size_t tcp_len = f.size() - kEth - kIp;
  std::vector<std::uint8_t> pseudo(f.begin() + kEth + 12, f.begin() + kEth + 20);  // src, dst
  pseudo.push_back(0);
  pseudo.push_back(6);
  pseudo.push_back(static_cast<std::uint8_t>(tcp_len >> 8));
  pseudo.push_back(static_cast<std::uint8_t>(tcp_len & 0xff));
  pseudo.insert(pseudo.end(), f.begin() + kEth + kIp, f.end());
  return naive_sum(pseudo) == 0xffff;
}

TcpSegment sample() {
  TcpSegment s;
  s.eth_src = {0x02, 0, 0, 0, 0, 1};
  s.eth_dst = {0x02, 0, 0, 0, 0, 2};
  s.ip_src = ipv4_from_string("203.0.113.2");
  s.ip_dst = ipv4_from_string("198.51.100.2");
  s.sport = 22;
  s.dport = 40022;
  s.seq = 0xfffffff0;  // near the wrap, on purpose
  s.ack = 123456789;
  s.flags = tcpflag::ack | tcpflag::psh;
  s.window = 502;
  s.ttl = 63;
  return s;
}

TEST(TcpFrame, InternetChecksumMatchesTheTextbookIpv4Header) {
  // The classic example header (checksum field zeroed) whose checksum is 0xb861.
  const std::vector<std::uint8_t> h = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                                       0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  EXPECT_EQ(internet_checksum(h), 0xb861);
  // Odd length: the last byte is padded with a zero octet.
  const std::vector<std::uint8_t> odd = {0x01, 0x02, 0x03};
  EXPECT_EQ(internet_checksum(odd), static_cast<std::uint16_t>(~(0x0102 + 0x0300)));
}

TEST(TcpFrame, ForgedFrameParsesBackFieldForField) {
  TcpSegment s = sample();
  s.ts_val = 0x01020304;
  s.ts_ecr = 0xa0b0c0d0;
  s.payload = {'j', 'u', 'n', 'k', '!'};
  const auto f = s.frame();
  ASSERT_EQ(f.size(), kEth + kIp + 20 + 12 + 5);
  const FrameView v = FrameView::parse(f);
  ASSERT_TRUE(v.ipv4);
  ASSERT_TRUE(v.tcp);
  EXPECT_EQ(v.eth_src, s.eth_src);
  EXPECT_EQ(v.eth_dst, s.eth_dst);
  EXPECT_EQ(v.ethertype, 0x0800);
  EXPECT_EQ(v.ip_src, s.ip_src);
  EXPECT_EQ(v.ip_dst, s.ip_dst);
  EXPECT_EQ(v.ttl, 63);
  EXPECT_EQ(v.ip_proto, 6);
  EXPECT_EQ(v.sport, 22);
  EXPECT_EQ(v.dport, 40022);
  EXPECT_EQ(v.seq, 0xfffffff0u);
  EXPECT_EQ(v.ack, 123456789u);
  EXPECT_EQ(v.flags, tcpflag::ack | tcpflag::psh);
  EXPECT_EQ(v.window, 502);
  EXPECT_EQ(v.ts_val, 0x01020304u);
  EXPECT_EQ(v.ts_ecr, 0xa0b0c0d0u);
  EXPECT_FALSE(v.mss);
  EXPECT_FALSE(v.wscale);
  EXPECT_FALSE(v.sack_permitted);
  EXPECT_EQ(v.tcp_offset, kEth + kIp);
  EXPECT_EQ(v.payload_len, 5u);
  EXPECT_EQ(std::vector<std::uint8_t>(f.begin() + v.payload_offset, f.end()), s.payload);
  EXPECT_EQ(v.str(), "203.0.113.2:22 > 198.51.100.2:40022 [PA] seq 4294967280 ack 123456789 len 5");
}

TEST(TcpFrame, ChecksumsAreValidForEveryShape) {
  // Even and odd payloads, with and without options, flags of every kind the faults send.
  for (std::size_t len : {0u, 1u, 2u, 127u, 128u, 1400u}) {
    for (bool ts : {false, true}) {
      for (std::uint8_t flags : {tcpflag::ack, std::uint8_t(tcpflag::rst | tcpflag::ack), tcpflag::syn}) {
        TcpSegment s = sample();
        s.flags = flags;
        if (ts) s.ts_val = 7, s.ts_ecr = 9;
        s.payload.assign(len, 0);
        for (std::size_t i = 0; i < len; ++i) s.payload[i] = static_cast<std::uint8_t>(i * 37 + 11);
        const auto f = s.frame();
        EXPECT_TRUE(ip_checksum_ok(f)) << "len " << len << " ts " << ts << " flags " << int(flags);
        EXPECT_TRUE(tcp_checksum_ok(f)) << "len " << len << " ts " << ts << " flags " << int(flags);
        // IPv4 header: version 4, IHL 5, total length, DF, no fragment offset.
        EXPECT_EQ(f[kEth], 0x45);
        EXPECT_EQ(std::size_t(f[kEth + 2] << 8 | f[kEth + 3]), f.size() - kEth);
        EXPECT_EQ(f[kEth + 6], 0x40);
      }
    }
  }
}

TEST(TcpFrame, ACorruptedByteBreaksTheChecksumCheck) {
  // The independent check must be able to fail, or the test above proves nothing.
  TcpSegment s = sample();
  s.payload = {1, 2, 3, 4};
  auto f = s.frame();
  f.back() ^= 0x40;
  EXPECT_TRUE(ip_checksum_ok(f));
  EXPECT_FALSE(tcp_checksum_ok(f));
  f = s.frame();
  f[kEth + 8] = 1;  // TTL changed without updating the header checksum
  EXPECT_FALSE(ip_checksum_ok(f));
}

TEST(TcpFrame, SynOptionsAreLaidOutLikeLinuxAndParseBack) {
  TcpSegment s = sample();
  s.flags = tcpflag::syn;
  s.mss = 1460;
  s.sack_permitted = true;
  s.ts_val = 0x11223344;
  s.ts_ecr = 0;
  s.wscale = 7;
  const auto f = s.frame();
  const std::vector<std::uint8_t> linux_layout = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0x11, 0x22,
                                                  0x33, 0x44, 0, 0, 0, 0, 1, 3, 3, 7};
  ASSERT_EQ(f.size(), kEth + kIp + 20 + linux_layout.size());
  EXPECT_EQ(f[kEth + kIp + 12] >> 4, 10) << "data offset in 32-bit words";
  EXPECT_EQ(std::vector<std::uint8_t>(f.begin() + kEth + kIp + 20, f.end()), linux_layout);
  EXPECT_TRUE(tcp_checksum_ok(f));
  const FrameView v = FrameView::parse(f);
  ASSERT_TRUE(v.tcp);
  EXPECT_EQ(v.mss, 1460);
  EXPECT_EQ(v.wscale, 7);
  EXPECT_TRUE(v.sack_permitted);
  EXPECT_EQ(v.ts_val, 0x11223344u);
  EXPECT_EQ(v.ts_ecr, 0u);
  EXPECT_EQ(v.payload_len, 0u);

  // Without timestamps SACK-permitted keeps its own NOP-padded word.
  TcpSegment n = sample();
  n.sack_permitted = true;
  const auto g = n.frame();
  EXPECT_EQ(std::vector<std::uint8_t>(g.begin() + kEth + kIp + 20, g.end()), (std::vector<std::uint8_t>{1, 1, 4, 2}));
  EXPECT_TRUE(FrameView::parse(g).sack_permitted);
}

TEST(TcpFrame, MalformedOptionsStopTheWalkWithoutReadingBeyond) {
  TcpSegment s = sample();
  s.ts_val = 5, s.ts_ecr = 6;
  auto f = s.frame();
  // NOP NOP TS(10) → NOP NOP, then a TS whose length claims 40 bytes: past the header.
  f[kEth + kIp + 20 + 3] = 40;
  const FrameView v = FrameView::parse(f);
  EXPECT_TRUE(v.tcp);
  EXPECT_FALSE(v.ts_val);
  // Length 0 would loop forever if not refused.
  f[kEth + kIp + 20 + 3] = 0;
  EXPECT_FALSE(FrameView::parse(f).ts_val);
}

TEST(TcpFrame, TruncatedFramesAreNeverReadPastTheirEnd) {
  TcpSegment s = sample();
  s.ts_val = 1;
  s.payload = {9, 9, 9};
  const auto f = s.frame();
  for (std::size_t n = 0; n < f.size(); ++n) {
    // A copy of exactly n bytes: AddressSanitizer builds catch any read past it.
    const std::vector<std::uint8_t> cut(f.begin(), f.begin() + n);
    const FrameView v = FrameView::parse(cut);
    if (n < kEth + kIp + 32) {
      EXPECT_FALSE(v.tcp) << n;
    }
    if (v.tcp) {
      EXPECT_LE(v.payload_offset + v.payload_len, n) << n;
    }
  }
}

TEST(TcpFrame, EthernetPaddingIsNotPayload) {
  // A bare ACK is 54 bytes; on the wire Ethernet pads it to 60. IP's total length decides.
  const auto f = sample().frame();
  ASSERT_EQ(f.size(), 54u);
  std::vector<std::uint8_t> padded = f;
  padded.resize(60, 0);
  const FrameView v = FrameView::parse(padded);
  ASSERT_TRUE(v.tcp);
  EXPECT_EQ(v.payload_len, 0u);
}

TEST(TcpFrame, NonTcpFramesAreRecognisedAsSuch) {
  auto f = sample().frame();
  f[kEth + 9] = 17;  // UDP
  FrameView v = FrameView::parse(f);
  EXPECT_TRUE(v.ipv4);
  EXPECT_FALSE(v.tcp);
  f[12] = 0x86, f[13] = 0xdd;  // IPv6 ethertype
  v = FrameView::parse(f);
  EXPECT_FALSE(v.ipv4);
  EXPECT_EQ(v.str(), "ethertype 0x86dd");
  EXPECT_THROW(ipv4_from_string("not.an.ip"), std::exception);
  EXPECT_EQ(ipv4_to_string(ipv4_from_string("198.51.100.2")), "198.51.100.2");
}

}  // namespace
}  // namespace deadpeer::faults
