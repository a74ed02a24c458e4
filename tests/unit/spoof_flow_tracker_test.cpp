// FlowTracker with synthetic frames (forged by TcpSegment, parsed by FrameView, as the
// middlebox thread sees them): sequence numbers of both ends through a handshake, data and
// wrap-around; learning mid-stream; keepalive probes told apart from every look-alike; and
// the forged answers carrying exactly what the receiving kernel checks.
#include <gtest/gtest.h>

#include "faults/FlowTracker.hpp"

namespace deadpeer::faults {
namespace {

using namespace std::chrono_literals;

const std::uint32_t kClient = ipv4_from_string("198.51.100.2");
const std::uint32_t kServer = ipv4_from_string("203.0.113.2");
const MacAddress kClientMac = {0x02, 0xc0, 0, 0, 0, 1};
const MacAddress kServerMac = {0x02, 0x50, 0, 0, 0, 2};
constexpr std::uint16_t kPort = 40022;

struct Wire {
  FlowTracker t{kClient, kServer, 22};
  sys::TimePoint now = sys::TimePoint(1000s);

  FlowTracker::Observation from(FlowSide side, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags,
                                std::size_t len = 0, std::optional<std::uint32_t> tsv = std::nullopt,
                                std::optional<std::uint32_t> tse = std::nullopt, std::uint16_t cport = kPort,
                                std::uint16_t window = 501) {
    return t.observe(frame(side, seq, ack, flags, len, tsv, tse, cport, window), now);
  }
  static FrameView frame(FlowSide side, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags, std::size_t len = 0,
                         std::optional<std::uint32_t> tsv = std::nullopt,
                         std::optional<std::uint32_t> tse = std::nullopt, std::uint16_t cport = kPort,
                         std::uint16_t window = 501) {
    TcpSegment s;
    const bool c = side == FlowSide::client;
    s.eth_src = c ? kClientMac : kServerMac;
    s.ip_src = c ? kClient : kServer;
    s.ip_dst = c ? kServer : kClient;
    s.sport = c ? cport : 22;
    s.dport = c ? 22 : cport;
    s.seq = seq, s.ack = ack, s.flags = flags, s.window = window;
    s.ts_val = tsv, s.ts_ecr = tse;
    s.payload.assign(len, 0x55);
    if (flags & tcpflag::syn) s.wscale = 7, s.mss = 1460;
    frame_bytes = s.frame();
    return FrameView::parse(frame_bytes);
  }
  static inline std::vector<std::uint8_t> frame_bytes;

  // A handshake with timestamps, then 100 bytes client → server, acknowledged.
  void handshake(std::uint32_t ciss = 1000, std::uint32_t siss = 5000) {
    from(FlowSide::client, ciss, 0, tcpflag::syn, 0, 100, 0);
    from(FlowSide::server, siss, ciss + 1, tcpflag::syn | tcpflag::ack, 0, 9000, 100);
    from(FlowSide::client, ciss + 1, siss + 1, tcpflag::ack, 0, 101, 9000);
    from(FlowSide::client, ciss + 1, siss + 1, tcpflag::ack | tcpflag::psh, 100, 102, 9000);
    from(FlowSide::server, siss + 1, ciss + 101, tcpflag::ack, 0, 9010, 102);
  }
};

TEST(FlowTracker, FollowsBothEndsThroughHandshakeAndData) {
  Wire w;
  EXPECT_FALSE(w.t.has_flow());
  w.handshake();
  ASSERT_TRUE(w.t.has_flow());
  ASSERT_TRUE(w.t.synchronized());
  EXPECT_EQ(w.t.end(FlowSide::client).port, kPort);
  EXPECT_EQ(w.t.end(FlowSide::client).snd_nxt, 1101u);
  EXPECT_EQ(w.t.end(FlowSide::server).snd_nxt, 5001u);
  EXPECT_EQ(w.t.rcv_nxt(FlowSide::server), 1101u);
  EXPECT_EQ(w.t.rcv_nxt(FlowSide::client), 5001u);
  EXPECT_TRUE(w.t.timestamps());
  EXPECT_EQ(w.t.end(FlowSide::client).wscale, 7);
  EXPECT_EQ(w.t.end(FlowSide::server).window, 501);
  EXPECT_EQ(w.t.end(FlowSide::server).ts_val, 9010u);
  EXPECT_EQ(w.t.end(FlowSide::server).ts_ecr, 102u);
  EXPECT_EQ(w.t.end(FlowSide::client).mac, kClientMac);
  EXPECT_EQ(w.t.end(FlowSide::client).segments, 3);

  // A FIN takes one sequence number; a retransmission of old data moves nothing back.
  w.from(FlowSide::server, 5001, 1101, tcpflag::ack | tcpflag::psh, 40, 9020, 102);
  w.from(FlowSide::server, 5001, 1101, tcpflag::ack | tcpflag::psh, 40, 9021, 102);
  w.from(FlowSide::server, 5041, 1101, tcpflag::ack | tcpflag::fin, 0, 9022, 102);
  EXPECT_EQ(w.t.end(FlowSide::server).snd_nxt, 5042u);
}

TEST(FlowTracker, SequenceNumbersWrapAround) {
  Wire w;
  w.handshake(0xffffff00, 0xfffffffe);
  EXPECT_EQ(w.t.end(FlowSide::client).snd_nxt, 0xffffff00u + 101);
  EXPECT_EQ(w.t.end(FlowSide::server).snd_nxt, 0xffffffffu);
  w.from(FlowSide::server, 0xffffffff, 0xffffff65, tcpflag::ack, 300, 9100, 102);  // crosses 2^32
  EXPECT_EQ(w.t.end(FlowSide::server).snd_nxt, 299u);
  // An older segment (before the wrap) does not move it back.
  w.from(FlowSide::server, 0xfffffff0, 0xffffff65, tcpflag::ack, 10, 9101, 102);
  EXPECT_EQ(w.t.end(FlowSide::server).snd_nxt, 299u);
  EXPECT_TRUE(seq_after(5, 0xfffffff0));
  EXPECT_FALSE(seq_after(0xfffffff0, 5));
}

TEST(FlowTracker, LearnsMidStreamFromASingleSegment) {
  // Armed after the handshake: one segment from either end names both sequence spaces.
  Wire w;
  const auto o = w.from(FlowSide::server, 777, 333, tcpflag::ack, 0, 42, 41);
  EXPECT_TRUE(o.ours);
  EXPECT_TRUE(o.new_flow);
  EXPECT_TRUE(w.t.synchronized());
  EXPECT_EQ(w.t.rcv_nxt(FlowSide::server), 333u);
  EXPECT_EQ(w.t.rcv_nxt(FlowSide::client), 777u);
  EXPECT_TRUE(w.t.timestamps());
  EXPECT_FALSE(w.t.end(FlowSide::server).wscale);
}

TEST(FlowTracker, IgnoresOtherConnectionsAndFollowsANewHandshake) {
  Wire w;
  w.handshake();
  // Another client port, mid-stream: not ours.
  EXPECT_FALSE(w.from(FlowSide::client, 1, 1, tcpflag::ack, 10, 1, 1, 50000).ours);
  // Another port on the server: not ours.
  FrameView other = Wire::frame(FlowSide::server, 1, 1, tcpflag::ack);
  other.sport = 2222;
  EXPECT_FALSE(w.t.observe(other, w.now).ours);
  EXPECT_EQ(w.t.end(FlowSide::client).port, kPort);
  // ssh reconnects from another port: the new handshake replaces the old flow.
  const auto o = w.from(FlowSide::client, 70000, 0, tcpflag::syn, 0, 500, 0, 50001);
  EXPECT_TRUE(o.new_flow);
  EXPECT_EQ(w.t.end(FlowSide::client).port, 50001);
  EXPECT_EQ(w.t.end(FlowSide::client).snd_nxt, 70001u);
  EXPECT_FALSE(w.t.end(FlowSide::server).snd_nxt) << "nothing known yet about the new server side";
  EXPECT_EQ(w.t.end(FlowSide::client).mac, kClientMac) << "host facts survive a new flow";
}

TEST(FlowTracker, RecognisesKeepaliveProbesAndNothingElse) {
  Wire w;
  w.handshake();
  const auto probe = [&](FlowSide s, std::uint32_t seq, std::uint8_t flags, std::size_t len) {
    return w.from(s, seq, s == FlowSide::client ? 5001 : 1101, flags, len, 200, 9010).keepalive_probe;
  };
  // Linux: seq = snd_nxt − 1, no data, ACK only. Other stacks: the same byte again.
  EXPECT_TRUE(probe(FlowSide::client, 1100, tcpflag::ack, 0));
  EXPECT_TRUE(probe(FlowSide::client, 1100, tcpflag::ack, 1));
  EXPECT_TRUE(probe(FlowSide::server, 5000, tcpflag::ack, 0));
  // Probes never move snd_nxt back (nor forward).
  EXPECT_EQ(w.t.end(FlowSide::client).snd_nxt, 1101u);
  EXPECT_EQ(w.t.end(FlowSide::server).snd_nxt, 5001u);
  // Look-alikes: a plain ACK, data, a probe-shaped segment with other flags, an older seq.
  EXPECT_FALSE(probe(FlowSide::client, 1101, tcpflag::ack, 0));
  EXPECT_FALSE(probe(FlowSide::client, 1100, tcpflag::ack, 2));
  EXPECT_FALSE(probe(FlowSide::client, 1100, tcpflag::ack | tcpflag::psh, 1));
  EXPECT_FALSE(probe(FlowSide::client, 1100, tcpflag::ack | tcpflag::fin, 0));
  EXPECT_FALSE(probe(FlowSide::client, 1100, tcpflag::rst | tcpflag::ack, 0));
  EXPECT_FALSE(probe(FlowSide::client, 1099, tcpflag::ack, 0));
  // The 2-byte look-alike was real data (1100–1101 again plus one new byte).
  EXPECT_EQ(w.t.end(FlowSide::client).snd_nxt, 1102u);
  // Without any knowledge of the prober's snd_nxt nothing is called a probe.
  Wire fresh;
  EXPECT_FALSE(fresh.from(FlowSide::client, 1100, 5001, tcpflag::ack, 0).keepalive_probe);
}

TEST(FlowTracker, AnswersAProbeWithWhatTheProberExpects) {
  Wire w;
  w.handshake();
  w.now += 250ms;  // the server's TS clock moved on by 250 ticks since its last segment
  const FrameView p = Wire::frame(FlowSide::client, 1100, 5001, tcpflag::ack, 0, 300, 9010);
  ASSERT_TRUE(w.t.observe(p, w.now).keepalive_probe);
  const TcpSegment a = w.t.answer_probe(p, FlowSide::client, w.now);
  EXPECT_EQ(a.ip_src, kServer);
  EXPECT_EQ(a.ip_dst, kClient);
  EXPECT_EQ(a.sport, 22);
  EXPECT_EQ(a.dport, kPort);
  EXPECT_EQ(a.eth_dst, kClientMac);
  EXPECT_EQ(a.seq, 5001u) << "the client's rcv_nxt";
  EXPECT_EQ(a.ack, 1101u) << "probe seq + 1: all the client sent is acknowledged";
  EXPECT_EQ(a.flags, tcpflag::ack);
  EXPECT_EQ(a.window, 501);
  EXPECT_TRUE(a.payload.empty());
  ASSERT_TRUE(a.ts_val && a.ts_ecr);
  EXPECT_EQ(*a.ts_ecr, 300u) << "echoes the probe's TSval";
  EXPECT_EQ(*a.ts_val, 9010u + 250) << "the server's clock, advanced in milliseconds";
  EXPECT_FALSE(seq_after(9010, *a.ts_val)) << "never older than the client's ts_recent (PAWS)";

  // Knowing nothing but the probe itself still gives an acceptable answer.
  Wire fresh;
  const FrameView q = Wire::frame(FlowSide::client, 41, 77, tcpflag::ack, 0, 12, 0x7ffffff0);
  const TcpSegment b = fresh.t.answer_probe(q, FlowSide::client, fresh.now);
  EXPECT_EQ(b.seq, 77u);
  EXPECT_EQ(b.ack, 42u);
  EXPECT_EQ(b.ts_val, 0x7ffffff0u) << "at least the client's ts_recent, which its TSecr shows";
  EXPECT_EQ(b.window, FlowTracker::kFallbackWindow);
  // A probe without timestamps gets an answer without them.
  const FrameView r = Wire::frame(FlowSide::client, 41, 77, tcpflag::ack);
  EXPECT_FALSE(fresh.t.answer_probe(r, FlowSide::client, fresh.now).ts_val);
}

TEST(FlowTracker, ForgesSegmentsAtTheExactEdgeOfTheReceiver) {
  Wire w;
  EXPECT_THROW(w.t.forge_from(FlowSide::client, w.now), std::exception);
  w.handshake();
  w.now += 1s;
  const TcpSegment toServer = w.t.forge_from(FlowSide::client, w.now);
  EXPECT_EQ(toServer.ip_dst, kServer);
  EXPECT_EQ(toServer.dport, 22);
  EXPECT_EQ(toServer.sport, kPort);
  EXPECT_EQ(toServer.eth_dst, kServerMac);
  EXPECT_EQ(toServer.seq, 1101u) << "the server's rcv_nxt";
  EXPECT_EQ(toServer.ack, 5001u) << "the server's snd_nxt";
  EXPECT_EQ(toServer.ts_val, 102u + 1000) << "the client's TS clock one second later";
  EXPECT_EQ(toServer.ts_ecr, 9010u) << "the server's latest TSval";

  // After a forged segment of 64 bytes, the client's sequence space has moved on: the real
  // client's next 64 bytes will overlap it.
  TcpSegment junk = toServer;
  junk.payload.assign(64, 0);
  w.t.note_forged(junk);
  EXPECT_EQ(w.t.rcv_nxt(FlowSide::server), 1165u);
  // A forged RST does not.
  TcpSegment rst = w.t.forge_from(FlowSide::server, w.now);
  rst.flags = tcpflag::rst | tcpflag::ack;
  w.t.note_forged(rst);
  EXPECT_EQ(w.t.rcv_nxt(FlowSide::client), 5001u);
}

TEST(FlowTracker, TimestampsFollowTheWireAndAFixedClientPortReplacesTheFlow) {
  Wire w;
  w.t.set_client_port(kPort);
  EXPECT_TRUE(w.t.has_flow());
  EXPECT_FALSE(w.t.synchronized());
  w.from(FlowSide::server, 10, 20, tcpflag::ack);  // no timestamp option
  EXPECT_FALSE(w.t.timestamps());
  EXPECT_FALSE(w.t.forge_from(FlowSide::client, w.now).ts_val);
  w.from(FlowSide::server, 10, 20, tcpflag::ack, 0, 5, 6);
  EXPECT_TRUE(w.t.timestamps());
  // A kernel RST without timestamps does not switch them off.
  w.from(FlowSide::client, 20, 10, tcpflag::rst);
  EXPECT_TRUE(w.t.timestamps());
  w.t.set_client_port(kPort + 1);
  EXPECT_FALSE(w.t.synchronized());
}

}  // namespace
}  // namespace deadpeer::faults
