// The impair stages and the release queue, with netem's semantics, on synthetic packets:
// time is data here (arrival instants chosen by the test), so every expectation is exact or a
// statistical window computed from the configured rate — never a wall-clock wait.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "faults/ImpairStages.hpp"
#include "faults/ReleaseQueue.hpp"

namespace deadpeer::faults {
namespace {

using namespace std::chrono_literals;
using ns = std::chrono::nanoseconds;

const sys::TimePoint t0 = sys::TimePoint(std::chrono::seconds(1000));

// A TCP frame of exactly `bytes` bytes on the wire (Ethernet header included).
std::vector<std::uint8_t> frame_of(std::size_t bytes) {
  TcpSegment s;
  s.ip_src = ipv4_from_string("198.51.100.2");
  s.ip_dst = ipv4_from_string("203.0.113.2");
  s.sport = 40000, s.dport = 22;
  s.payload.assign(bytes - 54, 0xab);
  return s.frame();
}

Packet packet(std::uint64_t serial, sys::TimePoint at, Direction way = Direction::to_server, std::size_t bytes = 100) {
  Packet p;
  p.frame = frame_of(bytes);
  p.way = way;
  p.arrived = p.send_at = at;
  p.serial = serial;
  return p;
}

// Collects what a stage chain emits.
struct Collect final : Emit {
  std::vector<Packet> out;
  void operator()(Packet&& p) override { out.push_back(std::move(p)); }
};

std::vector<Packet> run(const Stages& stages, std::vector<Packet> in) {
  Collect c;
  StageChain chain(stages, c);
  for (auto& p : in) chain.run(std::move(p));
  return std::move(c.out);
}

std::vector<Packet> burst(int n, Direction way = Direction::to_server, ns spacing = 1ms) {
  std::vector<Packet> v;
  for (int i = 0; i < n; ++i) v.push_back(packet(static_cast<std::uint64_t>(i + 1), t0 + i * spacing, way));
  return v;
}

// A window for a binomial count: n·p ± (5σ + 1), wide enough that a correct stage never
// fails it, narrow enough that a stage off by a few percent does.
void expect_binomial(long count, int n, double percent, const std::string& what) {
  const double p = percent / 100, mean = n * p, sigma = std::sqrt(n * p * (1 - p));
  EXPECT_NEAR(static_cast<double>(count), mean, 5 * sigma + 1) << what << ": " << count << " of " << n;
}

long counter(const PacketStage& s, const std::string& name) { return s.counters().at(name); }

TEST(DelayStage, FixedDelayMovesEachPacketByExactlyTheDelay) {
  Stages s;
  s.push_back(std::make_unique<DelayStage>(50ms, 0ms, 0, Direction::both, 1));
  const auto out = run(s, burst(100));
  ASSERT_EQ(out.size(), 100u);
  for (const auto& p : out) EXPECT_EQ(p.send_at - p.arrived, ns(50ms));
  EXPECT_EQ(counter(*s[0], "delayed_packets"), 100);
}

TEST(DelayStage, JitterIsUniformWithinDelayPlusMinusJitter) {
  Stages s;
  s.push_back(std::make_unique<DelayStage>(50ms, 10ms, 0, Direction::both, 7));
  const int n = 20000;
  const auto out = run(s, burst(n));
  std::vector<double> d;
  for (const auto& p : out) d.push_back(std::chrono::duration<double, std::milli>(p.send_at - p.arrived).count());
  const auto [lo, hi] = std::minmax_element(d.begin(), d.end());
  EXPECT_GE(*lo, 40.0);
  EXPECT_LE(*hi, 60.0);
  // Uniform over ±10 ms: it reaches both ends, its mean is the delay (σ of the mean is
  // 10/√3/√n ≈ 0.04 ms) and a quarter of the packets fall in each 5 ms band.
  EXPECT_LT(*lo, 40.2);
  EXPECT_GT(*hi, 59.8);
  double mean = 0;
  for (double x : d) mean += x / n;
  EXPECT_NEAR(mean, 50.0, 0.25);
  const long low_band = std::count_if(d.begin(), d.end(), [](double x) { return x < 45.0; });
  expect_binomial(low_band, n, 25, "packets delayed less than 45 ms");
}

TEST(DelayStage, ActsOnlyOnItsDirection) {
  Stages s;
  s.push_back(std::make_unique<DelayStage>(50ms, 0ms, 0, Direction::to_server, 1));
  auto in = burst(10, Direction::to_server);
  for (auto& p : burst(10, Direction::to_client)) in.push_back(std::move(p));
  for (const auto& p : run(s, std::move(in)))
    EXPECT_EQ(p.send_at - p.arrived, p.way == Direction::to_server ? ns(50ms) : ns(0)) << to_string(p.way);
}

TEST(DelayStage, ReorderSendsThatShareAtOnceAndDelaysTheRest) {
  Stages s;
  s.push_back(std::make_unique<DelayStage>(20ms, 0ms, 25, Direction::both, 3));
  const int n = 4000;
  auto out = run(s, burst(n));
  const long ahead = std::count_if(out.begin(), out.end(), [](const Packet& p) { return p.send_at == p.arrived; });
  EXPECT_EQ(ahead, counter(*s[0], "sent_ahead_packets"));
  EXPECT_EQ(n - ahead, counter(*s[0], "delayed_packets"));
  expect_binomial(ahead, n, 25, "packets sent ahead");
  // Through the queue, each packet sent ahead overtakes the delayed ones still waiting (1 ms
  // apart, 20 ms delay): the queue counts the overtaken ones as reordered.
  ReleaseQueue q(n);
  for (auto& p : out) q(std::move(p));
  std::uint64_t last = 0;
  long out_of_order = 0;
  while (auto p = q.pop(std::nullopt)) {
    if (p->serial < last) ++out_of_order;
    last = std::max(last, p->serial);
  }
  EXPECT_EQ(q.reordered(), out_of_order);
  // A delayed packet is overtaken unless none of the 19 after it was sent ahead: 1 − 0.75^19 ≈ 99.6 %.
  EXPECT_GT(q.reordered(), (n - ahead) * 95 / 100);
}

TEST(LossStage, DropsItsShareIndependentlyAndCountsIt) {
  for (double percent : {0.0, 1.0, 20.0, 100.0}) {
    Stages s;
    s.push_back(std::make_unique<LossStage>(percent, Direction::both, 11));
    const int n = 20000;
    const auto out = run(s, burst(n));
    const long lost = counter(*s[0], "lost_packets");
    EXPECT_EQ(static_cast<long>(out.size()) + lost, n);
    expect_binomial(lost, n, percent, "lost at " + std::to_string(percent) + " %");
  }
}

TEST(DuplicateStage, EmitsASecondIdenticalCopyOfItsShare) {
  Stages s;
  s.push_back(std::make_unique<DuplicateStage>(10, Direction::both, 5));
  const int n = 20000;
  const auto out = run(s, burst(n));
  const long dups = counter(*s[0], "duplicated_packets");
  EXPECT_EQ(static_cast<long>(out.size()), n + dups);
  expect_binomial(dups, n, 10, "duplicated");
  long pairs = 0;
  for (std::size_t i = 1; i < out.size(); ++i)
    if (out[i].serial == out[i - 1].serial) {
      ++pairs;
      EXPECT_EQ(out[i].frame, out[i - 1].frame);
    }
  EXPECT_EQ(pairs, dups);
}

TEST(DuplicateStage, TheCopyGetsItsOwnJitterSample) {
  const ImpairConfig c{.delay = 50ms, .jitter = 10ms, .duplicate = 100};
  auto stages = make_impair_stages(c, 9);
  const auto out = run(stages, burst(200));
  ASSERT_EQ(out.size(), 400u);
  long differ = 0;
  for (std::size_t i = 0; i + 1 < out.size(); i += 2) differ += out[i].send_at != out[i + 1].send_at;
  EXPECT_GT(differ, 190);
}

TEST(RateStage, SerialisesABurstAtTheRate) {
  Stages s;
  s.push_back(std::make_unique<RateStage>(10e6, Direction::both));
  // 1250-byte frames at 10 Mbit/s: exactly 1 ms each.
  std::vector<Packet> in;
  for (int i = 0; i < 100; ++i) in.push_back(packet(i + 1, t0, Direction::to_server, 1250));
  const auto out = run(s, std::move(in));
  for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i].send_at - t0, ns(1ms) * (i + 1)) << i;
  EXPECT_EQ(counter(*s[0], "rate_queued_packets"), 99);
  EXPECT_EQ(RateStage::transmit_time(1514, 1e9), ns(12112));
}

TEST(RateStage, PacketsSlowerThanTheRateAreOnlyDelayedByTheirOwnTransmission) {
  Stages s;
  s.push_back(std::make_unique<RateStage>(10e6, Direction::both));
  std::vector<Packet> in;
  for (int i = 0; i < 10; ++i) in.push_back(packet(i + 1, t0 + i * 5ms, Direction::to_server, 1250));
  for (const auto& p : run(s, std::move(in))) EXPECT_EQ(p.send_at - p.arrived, ns(1ms));
  EXPECT_EQ(counter(*s[0], "rate_queued_packets"), 0);
}

TEST(RateStage, EachWayHasItsOwnLink) {
  Stages s;
  s.push_back(std::make_unique<RateStage>(10e6, Direction::both));
  const auto out = run(s, {packet(1, t0, Direction::to_server, 1250), packet(1, t0, Direction::to_client, 1250)});
  EXPECT_EQ(out[0].send_at - t0, ns(1ms));
  EXPECT_EQ(out[1].send_at - t0, ns(1ms));
}

TEST(RateStage, ComesAfterTheDelayAsInNetem) {
  const ImpairConfig c{.delay = 10ms, .rate_bps = 10e6};
  auto stages = make_impair_stages(c, 1);
  std::vector<Packet> in;
  for (int i = 0; i < 3; ++i) in.push_back(packet(i + 1, t0, Direction::to_server, 1250));
  const auto out = run(stages, std::move(in));
  EXPECT_EQ(out[0].send_at - t0, ns(11ms));
  EXPECT_EQ(out[2].send_at - t0, ns(13ms));
}

TEST(ImpairStages, OneStagePerKnobInNetemOrder) {
  EXPECT_TRUE(make_impair_stages(ImpairConfig{}, 1).empty());
  const ImpairConfig all{.delay = 10ms, .loss = 1, .duplicate = 1, .rate_bps = 1e6};
  const auto s = make_impair_stages(all, 1);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_NE(dynamic_cast<LossStage*>(s[0].get()), nullptr);
  EXPECT_NE(dynamic_cast<DuplicateStage*>(s[1].get()), nullptr);
  EXPECT_NE(dynamic_cast<DelayStage*>(s[2].get()), nullptr);
  EXPECT_NE(dynamic_cast<RateStage*>(s[3].get()), nullptr);
}

TEST(ReleaseQueue, ReleasesByTimeThenArrivalOrder) {
  ReleaseQueue q;
  auto a = packet(1, t0), b = packet(2, t0), c = packet(3, t0);
  a.send_at = t0 + 5ms, b.send_at = t0 + 1ms, c.send_at = t0 + 5ms;
  q(std::move(a)), q(std::move(b)), q(std::move(c));
  EXPECT_EQ(q.max_size(), 3);
  EXPECT_EQ(q.next_due(), t0 + 1ms);
  EXPECT_FALSE(q.pop(t0 + 999us));
  EXPECT_EQ(q.pop(t0 + 1ms)->serial, 2u);
  EXPECT_FALSE(q.pop(t0 + 4ms));
  EXPECT_EQ(q.pop(t0 + 5ms)->serial, 1u);  // same time as 3: queued first, leaves first
  EXPECT_EQ(q.pop(t0 + 5ms)->serial, 3u);
  EXPECT_FALSE(q.next_due());
  // 2 left before 1, which arrived earlier: one overtaken packet.
  EXPECT_EQ(q.reordered(), 1);
}

TEST(ReleaseQueue, BoundsEachWayAndCountsTheOverflow) {
  ReleaseQueue q(10);
  for (int i = 0; i < 15; ++i) q(packet(i + 1, t0, Direction::to_server));
  for (int i = 0; i < 4; ++i) q(packet(i + 1, t0, Direction::to_client));
  EXPECT_EQ(q.size(), 14u);
  EXPECT_EQ(q.overflow_drops(), 5);
  EXPECT_EQ(q.max_size(), 14);
  // admit() refuses (and counts) before the stages run, so nothing reserves link time.
  EXPECT_FALSE(q.admit(Direction::to_server));
  EXPECT_TRUE(q.admit(Direction::to_client));
  EXPECT_EQ(q.overflow_drops(), 6);
  while (q.pop(std::nullopt)) {
  }
  q(packet(16, t0, Direction::to_server));  // room again once released
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(q.reordered(), 0);
}

}  // namespace
}  // namespace deadpeer::faults
