// The keepalive filter on a synthetic SSH flow: it drops TCP keepalive probes (bare ACK, 0 or
// 1 byte, seq one below what the sender has sent) from either end, and lets everything else
// through — pure ACKs, data, retransmissions, SYN/FIN/RST — including across seq wrap-around.
#include <gtest/gtest.h>

#include "faults/KeepaliveFilter.hpp"

namespace deadpeer::faults {
namespace {

const std::uint32_t kClient = ipv4_from_string("198.51.100.2");
const std::uint32_t kServer = ipv4_from_string("203.0.113.2");

struct Collect final : Emit {
  int passed = 0;
  void operator()(Packet&&) override { ++passed; }
};

class FilterTest : public ::testing::Test {
 protected:
  // Sends a segment through the filter's on_packet; true if it passed.
  bool send(bool from_client, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags, std::size_t len = 0) {
    TcpSegment s;
    s.ip_src = from_client ? kClient : kServer;
    s.ip_dst = from_client ? kServer : kClient;
    s.sport = from_client ? 40022 : 22;
    s.dport = from_client ? 22 : 40022;
    s.seq = seq, s.ack = ack, s.flags = flags;
    s.payload.assign(len, 'x');
    Packet p;
    p.frame = s.frame();
    p.way = from_client ? Direction::to_server : Direction::to_client;
    Collect c;
    filter.on_packet(std::move(p), c);
    return c.passed == 1;
  }
  long dropped() const { return filter.counters().at("keepalive_probes_dropped"); }
  // Handshake and one exchange: client next = 1101, server next = 5051, both acknowledged.
  void establish(std::uint32_t c = 1000, std::uint32_t s = 5000) {
    ASSERT_TRUE(send(true, c, 0, tcpflag::syn));
    ASSERT_TRUE(send(false, s, c + 1, tcpflag::syn | tcpflag::ack));
    ASSERT_TRUE(send(true, c + 1, s + 1, tcpflag::ack));
    ASSERT_TRUE(send(true, c + 1, s + 1, tcpflag::ack | tcpflag::psh, 100));
    ASSERT_TRUE(send(false, s + 1, c + 101, tcpflag::ack | tcpflag::psh, 50));
    ASSERT_TRUE(send(true, c + 101, s + 51, tcpflag::ack));
  }
  KeepaliveFilter filter;
};

constexpr std::uint8_t A = tcpflag::ack;

TEST_F(FilterTest, DropsZeroByteProbesFromEitherEnd) {
  establish();
  EXPECT_FALSE(send(true, 1100, 5051, A));   // client's probe: seq = 1101 - 1
  EXPECT_FALSE(send(false, 5050, 1101, A));  // server's probe: seq = 5051 - 1
  EXPECT_EQ(dropped(), 2);
}

TEST_F(FilterTest, DropsOneByteProbesOfAnAcknowledgedByte) {
  establish();
  EXPECT_FALSE(send(true, 1100, 5051, A, 1));
  EXPECT_EQ(dropped(), 1);
}

TEST_F(FilterTest, LetsPureAcksDataAndControlSegmentsThrough) {
  establish();
  EXPECT_TRUE(send(true, 1101, 5051, A));                       // pure ACK: seq = next
  EXPECT_TRUE(send(true, 1101, 5051, A | tcpflag::psh, 36));    // data
  EXPECT_TRUE(send(true, 1100 + 36, 5051, A | tcpflag::psh, 2));  // 2 bytes at next - 1: not a probe
  EXPECT_TRUE(send(true, 1138, 5051, A | tcpflag::fin));        // FIN
  EXPECT_TRUE(send(false, 5050, 1139, A | tcpflag::rst));       // RST at next - 1
  EXPECT_EQ(dropped(), 0);
}

TEST_F(FilterTest, LetsTheRetransmissionOfALostOneByteSegmentThrough) {
  establish();
  ASSERT_TRUE(send(true, 1101, 5051, A | tcpflag::psh, 1));  // next = 1102, not yet acknowledged
  EXPECT_TRUE(send(true, 1101, 5051, A | tcpflag::psh, 1));  // same byte again: a retransmission
  ASSERT_TRUE(send(false, 5051, 1102, A));                   // now acknowledged
  EXPECT_FALSE(send(true, 1101, 5051, A, 1));                // the same shape is now a probe
  EXPECT_EQ(dropped(), 1);
}

TEST_F(FilterTest, LearnsFromTheSnifferBeforeJudging) {
  // Frames the path observed (applied or not) teach the filter as well as relayed ones.
  TcpSegment s;
  s.ip_src = kClient, s.ip_dst = kServer, s.sport = 40022, s.dport = 22;
  s.seq = 7000, s.ack = 9000, s.flags = A | tcpflag::psh;
  s.payload.assign(10, 'x');
  const auto frame = s.frame();
  filter.observe(FrameView::parse(frame), Direction::to_server);
  EXPECT_FALSE(send(true, 7009, 9000, A));
  EXPECT_TRUE(send(true, 7010, 9000, A));
}

TEST_F(FilterTest, AFlowFirstSeenMidStreamIsLearntWithoutFalseDrops) {
  // Nothing known: the first probe passes (it cannot be told from an ACK)...
  EXPECT_TRUE(send(true, 1100, 5051, A));
  // ...the peer's answer acknowledges 1101, so the sender's next is known and the next probe is caught.
  EXPECT_TRUE(send(false, 5051, 1101, A));
  EXPECT_FALSE(send(true, 1100, 5051, A));
  EXPECT_EQ(dropped(), 1);
}

TEST_F(FilterTest, HandlesSequenceWrapAround) {
  establish(0xffffffa0u, 0xfffffff0u);  // both sequence spaces wrap during the exchange
  EXPECT_FALSE(send(true, 0xffffffa0u + 100, 0xfffffff0u + 51, A));
  EXPECT_FALSE(send(false, 0xfffffff0u + 50, 0xffffffa0u + 101, A));
  EXPECT_TRUE(send(true, 0xffffffa0u + 101, 0xfffffff0u + 51, A));
  EXPECT_EQ(dropped(), 2);
}

TEST_F(FilterTest, ANewSynRestartsTheFlow) {
  establish();
  // The same ports reused with a new initial sequence number below the old one.
  ASSERT_TRUE(send(true, 100, 0, tcpflag::syn));
  EXPECT_FALSE(send(true, 100, 0, A));  // seq = 101 - 1
  EXPECT_TRUE(send(true, 1100, 5051, A));  // the old space is forgotten
}

TEST_F(FilterTest, IgnoresNonTcp) {
  EXPECT_FALSE(filter.is_probe(FrameView{}));
  EXPECT_TRUE(filter.watches_from_arm());
}

}  // namespace
}  // namespace deadpeer::faults
