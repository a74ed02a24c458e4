// `deadpeer recommend` without a lab: the loss formula against a brute-force enumeration, the
// keepalive packet cost, the search and its ranking (each constraint removes what it must and
// changes the winner), the arguments (exit 2 with the flag named), the printed lines and the
// scenarios --verify generates. Versions are fixed, never read from the machine.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "cli/Command.hpp"
#include "cli/LossRisk.hpp"
#include "cli/RecommendCommand.hpp"
#include "cli/RecommendReport.hpp"
#include "cli/RecommendVerify.hpp"
#include "cli/Recommender.hpp"
#include "model/TcpTimers.hpp"
#include "scenario/ScenarioParser.hpp"

namespace deadpeer::cli {
namespace {

using Kind = SideSetting::Kind;
using scenario::Implementation;

ResolvedVersion fixed(Implementation impl, bool) {
  return impl == Implementation::dropbear ? ResolvedVersion{{2022, 83}, "test"} : ResolvedVersion{{9, 2}, "test"};
}

RecommendRequest request(double bound, bool client = true, bool server = true) {
  RecommendRequest r;
  r.detect_within_s = bound;
  r.client = client;
  r.server = server;
  return r;
}

SideSetting ssh(long i, long n) { return {Kind::ssh_keepalive, i, n}; }
SideSetting tcp(long t, long intvl, long probes) { return {Kind::tcp_keepalive, 0, 0, t, intvl, probes}; }

// ---- the loss formula -------------------------------------------------------------------

// The same probability the slow way: every (probe attempt, answer attempt) pair that arrives in
// time, summed; what is left is the chance of being late.
double brute_force_late(double p, double budget, double rtt, const std::vector<double>& retrans) {
  std::vector<double> t{0};
  t.insert(t.end(), retrans.begin(), retrans.end());
  double in_time = 0;
  for (size_t a = 0; a < t.size(); ++a)
    for (size_t b = 0; b < t.size(); ++b)
      if (t[a] + t[b] + rtt < budget) in_time += std::pow(p, a) * (1 - p) * std::pow(p, b) * (1 - p);
  return 1 - in_time;
}

TEST(LossRisk, AnswerLateMatchesAHandComputedCase) {
  // Lab schedule: first send, TLP 0.204, RTOs at 0.408, 0.816, 1.632; ssh 1 s × CountMax 1.
  const std::vector<double> tx{0.204, 0.408, 0.816, 1.632};
  EXPECT_NEAR(answer_late_probability(0.3, 1.0, 0, tx), 0.026811, 1e-6);
  EXPECT_NEAR(answer_late_probability(0.3, 1.0, 0, tx), brute_force_late(0.3, 1.0, 0, tx), 1e-12);
}

TEST(LossRisk, AnswerLateMatchesBruteForceOnTheKernelSchedule) {
  const auto tx = model::retransmission(model::KernelTcp{}, 0.05).transmissions_s;
  for (const double p : {0.0, 0.02, 0.1, 0.5, 0.9})
    for (const double budget : {0.5, 1.0, 3.0, 15.0, 60.0})
      EXPECT_NEAR(answer_late_probability(p, budget, 0.05, tx), brute_force_late(p, budget, 0.05, tx), 1e-12)
          << "p " << p << " budget " << budget;
  EXPECT_DOUBLE_EQ(answer_late_probability(0.0, 1.0, 0, tx), 0.0);
  EXPECT_DOUBLE_EQ(answer_late_probability(1.0, 1.0, 0, tx), 1.0);
  // Nothing can come back within less than the round trip.
  EXPECT_DOUBLE_EQ(answer_late_probability(0.02, 0.04, 0.05, tx), 1.0);
}

TEST(LossRisk, RetransmissionMakesALongerBudgetFarSafer) {
  const auto tx = model::retransmission(model::KernelTcp{}, 0.0002).transmissions_s;
  const double one = answer_late_probability(0.02, 1, 0.0002, tx), fifteen = answer_late_probability(0.02, 15, 0.0002, tx);
  EXPECT_LT(fifteen, one * 1e-6);  // 8 transmissions fit in 15 s, 4 in 1 s
  // The naive "probe or answer lost" (no retransmission) would be 3.96 % whatever the budget.
  EXPECT_LT(one, 1e-5);
}

TEST(LossRisk, TcpKeepaliveProbesAreNotRetransmitted) {
  EXPECT_NEAR(tcp_keepalive_chain_probability(0.02, 1), 1 - 0.98 * 0.98, 1e-12);
  EXPECT_NEAR(tcp_keepalive_chain_probability(0.02, 3), std::pow(1 - 0.98 * 0.98, 3), 1e-15);
  EXPECT_DOUBLE_EQ(tcp_keepalive_chain_probability(0.0, 3), 0.0);
}

TEST(LossRisk, PerHourIsAccurateForTinyAndLargeProbabilities) {
  EXPECT_NEAR(per_hour(0.5, 2), 0.75, 1e-12);
  EXPECT_NEAR(per_hour(1e-12, 3600), 3.6e-9, 1e-15);  // 1 − (1 − 1e-12)^3600 loses everything in plain doubles
  EXPECT_DOUBLE_EQ(per_hour(0, 3600), 0.0);
  EXPECT_DOUBLE_EQ(per_hour(1, 0.5), 1.0);
  EXPECT_EQ(percent(0.001), "0.10 %");
  EXPECT_EQ(percent(3.6e-9), "3.6e-07 %");
  EXPECT_EQ(percent(1), "100 %");
}

// ---- cost and risk of given settings -----------------------------------------------------

TEST(RecommendCost, TheMostFrequentSshProbeSetsTheExchangeRate) {
  const auto req = request(30);
  // ssh every 15 s: 3 packets × 240/h; both kernels' 7200 s keepalive never fires.
  EXPECT_NEAR(keepalive_cost(inputs_for(req, ssh(15, 1), {})).packets_per_hour, 3 * 3600 / 15.0002, 1e-6);
  // sshd 9.2 probes every 2 × 7 s and resets ssh's timer: the 14 s cycle decides.
  EXPECT_NEAR(keepalive_cost(inputs_for(req, ssh(15, 1), ssh(7, 1))).packets_per_hour, 3 * 3600 / 14.0002, 1e-6);
}

TEST(RecommendCost, TcpKeepaliveCountsPerKernelUnlessSshTrafficComesFirst) {
  const auto req = request(30);
  // The client's kernel probes every 29 s; the server's default 7200 s once an hour.
  EXPECT_NEAR(keepalive_cost(inputs_for(req, tcp(29, 1, 1), {})).packets_per_hour, 2 * 3600 / 29.0002 + 2 * 3600 / 7200.0002,
              1e-6);
  // ssh's probes every 15 s restart the server's 29 s keepalive wait: only ssh's traffic remains.
  EXPECT_NEAR(keepalive_cost(inputs_for(req, ssh(15, 1), tcp(29, 1, 1))).packets_per_hour, 3 * 3600 / 15.0002, 1e-6);
}

TEST(RecommendRisk, SshCountMaxOneSurvivesTwoPercentButTcpProbesOneDoesNot) {
  const auto req = request(30);
  EXPECT_LT(spurious_risk(inputs_for(req, ssh(15, 1), {}), true, 0.02).per_hour, 1e-9);
  EXPECT_GT(spurious_risk(inputs_for(req, tcp(29, 1, 1), {}), true, 0.02).per_hour, 0.9);
  // In the lab at 1 s × 1 and 30 % loss the spurious exit is a matter of seconds.
  const auto risky = spurious_risk(inputs_for(req, ssh(1, 1), {}), true, 0.3);
  EXPECT_GT(risky.per_hour, 0.999);
  EXPECT_NE(risky.why.find("per probe"), std::string::npos) << risky.why;
}

// ---- the search --------------------------------------------------------------------------

TEST(RecommendSearch, EveryResultMeetsTheBoundAndTheRankingIsByCost) {
  auto req = request(30, true, false);
  req.loss.reset();  // a lossless path: nothing but the bound and the cost
  const auto result = search(req);
  ASSERT_FALSE(result.ranked.empty());
  for (const auto& r : result.ranked) {
    ASSERT_TRUE(r.blackhole.client.window);
    EXPECT_LE(r.blackhole.client.window->hi_s, 30 + 1e-9) << describe(r.client, true, req.impl);
  }
  EXPECT_TRUE(std::is_sorted(result.ranked.begin(), result.ranked.end(), better));
  EXPECT_GT(result.rejected.at("client too slow under a blackhole"), 0u);
  // The cheapest: the kernel probing after 29 s of silence, once, 1 s apart.
  EXPECT_EQ(result.ranked.front().client, tcp(29, 1, 1));
  // The cheapest SSH keepalive that fits: (1 + 1) × 15 s.
  const auto first_ssh = std::find_if(result.ranked.begin(), result.ranked.end(),
                                      [](const Recommendation& r) { return r.client.kind == Kind::ssh_keepalive; });
  ASSERT_NE(first_ssh, result.ranked.end());
  EXPECT_EQ(first_ssh->client, ssh(15, 1));
}

TEST(RecommendSearch, BackgroundLossRulesOutASingleKernelProbe) {
  const auto req = request(30, true, false);  // --loss not given: 0.1 %
  ASSERT_TRUE(req.loss);
  EXPECT_DOUBLE_EQ(*req.loss, 0.001);
  std::string why;
  // One lost probe or ACK in 124 chains an hour: 22 % of sessions a hour end for nothing.
  EXPECT_FALSE(judge(req, tcp(29, 1, 1), {}, &why));
  EXPECT_EQ(why, "spurious disconnects under loss");
  const auto result = search(req);
  ASSERT_FALSE(result.ranked.empty());
  EXPECT_EQ(result.ranked.front().client, tcp(28, 1, 2));
}

TEST(RecommendSearch, AFrozenPeerRulesOutTcpKeepalive) {
  auto req = request(30, true, false);
  req.detect_frozen = true;
  const auto result = search(req);
  ASSERT_FALSE(result.ranked.empty());
  for (const auto& r : result.ranked) EXPECT_EQ(r.client.kind, Kind::ssh_keepalive);
  EXPECT_EQ(result.ranked.front().client, ssh(15, 1));
}

TEST(RecommendSearch, AFirewallNeedsTrafficMoreOftenThanItsIdleTimeout) {
  auto req = request(30, true, false);
  req.firewall_idle_s = 10;
  const auto result = search(req);
  ASSERT_FALSE(result.ranked.empty());
  for (const auto& r : result.ranked) {
    ASSERT_TRUE(r.firewall);
    EXPECT_FALSE(r.firewall->client.window) << describe(r.client, true, req.impl);
    const double cycle = r.client.kind == Kind::ssh_keepalive ? r.client.interval_s : r.client.ka_time_s;
    EXPECT_LT(cycle, 10) << describe(r.client, true, req.impl);
  }
  EXPECT_EQ(result.ranked.front().client.ka_time_s, 9);
  EXPECT_GT(result.rejected.at("the firewall forgets the idle session"), 0u);
}

TEST(RecommendSearch, LossRejectsSingleUnretransmittedProbes) {
  auto req = request(30, true, false);
  req.loss = 0.02;
  const auto result = search(req);
  ASSERT_FALSE(result.ranked.empty());
  for (const auto& r : result.ranked) {
    ASSERT_TRUE(r.client_risk);
    EXPECT_LE(r.client_risk->per_hour, req.max_spurious_per_hour);
    if (r.client.kind == Kind::tcp_keepalive) {
      EXPECT_GE(r.client.ka_probes, 4) << describe(r.client, true, req.impl);
    }
  }
  EXPECT_GT(result.rejected.at("spurious disconnects under loss"), 0u);
  // ssh's single probe is retransmitted by TCP for 15 s: still acceptable.
  EXPECT_TRUE(judge(req, ssh(15, 1), {}, nullptr));
}

TEST(RecommendSearch, BothSidesDependOnTheSshdVersion) {
  auto req = request(30, false, true);
  req.detect_frozen = true;
  // sshd 9.2–9.4 probe every second interval: 2 × (1 + 1) × 7 = 28 s.
  EXPECT_EQ(search(req).ranked.front().server, ssh(7, 1));
  req.server_version = {9, 5};
  EXPECT_EQ(search(req).ranked.front().server, ssh(15, 1));
}

TEST(RecommendSearch, DropbearOnlyHasItsKeepaliveFlag) {
  auto req = request(30);
  req.impl = Implementation::dropbear;
  req.client_version = req.server_version = {2022, 83};
  const auto result = search(req);
  ASSERT_FALSE(result.ranked.empty());
  for (const auto& r : result.ranked) {
    EXPECT_EQ(r.client.kind, Kind::ssh_keepalive);
    EXPECT_EQ(r.server.kind, Kind::ssh_keepalive);
  }
  EXPECT_EQ(result.ranked.front().client.interval_s, 10);  // 3 × K ≤ 30
  EXPECT_EQ(result.ranked.front().server.interval_s, 10);
}

TEST(RecommendSearch, NothingFitsABoundBelowOneProbeAndOneWait) {
  const auto result = search(request(1));
  EXPECT_TRUE(result.ranked.empty());
}

TEST(RecommendSearch, TheShortlistShowsEachKindBeforeVariants) {
  const auto result = search(request(30));
  const auto shown = shortlist(result.ranked, 4);
  ASSERT_EQ(shown.size(), 4u);
  std::set<std::string> families;
  for (const auto& r : shown) families.insert(r.family());
  EXPECT_EQ(families.size(), 4u);  // SSH/SSH, SSH/TCP, TCP/SSH, TCP/TCP
  EXPECT_TRUE(std::is_sorted(shown.begin(), shown.end(), better));
}

// ---- the verb ----------------------------------------------------------------------------

struct Outcome {
  int code;
  std::string out, err;
};

Outcome recommend(const RecommendArgs& a) {
  std::ostringstream out, err;
  const int code = run_recommend(a, out, err, fixed);
  return {code, out.str(), err.str()};
}

RecommendArgs args(const std::string& bound) {
  RecommendArgs a;
  a.detect_within = bound;
  return a;
}

TEST(RecommendCommand, BadInputExitsTwoNamingTheFlag) {
  auto bad = [](RecommendArgs a, const std::string& says) {
    const Outcome r = recommend(a);
    EXPECT_EQ(r.code, kBadInput) << r.out;
    EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
  };
  bad(RecommendArgs{}, "--detect-within is required");
  bad(args("soon"), "--detect-within 'soon'");
  bad(args("0s"), "must be more than 0");
  auto a = args("30s");
  a.loss = "150%";
  bad(a, "below 100 %");
  a.loss = "two";
  bad(a, "--loss 'two'");
  a = args("30s");
  a.side = "middle";
  bad(a, "--side 'middle'");
  a = args("30s");
  a.implementation = "putty";
  bad(a, "--implementation 'putty'");
  a = args("30s");
  a.firewall_idle = "-5s";
  bad(a, "--firewall-idle");
  a = args("30s");
  a.top = 0;
  bad(a, "--top 0");
}

TEST(RecommendCommand, PrintsLinesToPasteWithCostAndDetection) {
  auto a = args("30");  // a bare number is seconds
  a.firewall_idle = "5m";
  a.detect_frozen = true;
  const Outcome r = recommend(a);
  ASSERT_EQ(r.code, kOk) << r.err;
  EXPECT_NE(r.out.find("within 30 s"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("idle for 5 min"), std::string::npos) << r.out;
  // sshd 9.2 at 7 s probes every 14 s and so sets the traffic; ssh at 15 s × 1 costs nothing more.
  EXPECT_NE(r.out.find("Host *\n              ServerAliveInterval 15\n              ServerAliveCountMax 1\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\n          ClientAliveInterval 7\n          ClientAliveCountMax 1\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("packets/hour per idle session"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(openssh-serveralive)"), std::string::npos) << r.out;
}

TEST(RecommendCommand, SysctlLinesForTcpKeepalive) {
  auto a = args("30s");
  a.side = "client";
  const Outcome r = recommend(a);
  ASSERT_EQ(r.code, kOk) << r.err;
  EXPECT_NE(r.out.find("net.ipv4.tcp_keepalive_time = 28\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("net.ipv4.tcp_keepalive_probes = 2\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(any path's; --loss to change)"), std::string::npos) << r.out;
}

TEST(RecommendCommand, AnImpossibleBoundExitsOneAndSaysWhy) {
  const Outcome r = recommend(args("1s"));
  EXPECT_EQ(r.code, kFailed);
  EXPECT_NE(r.out.find("no setting meets all of this"), std::string::npos) << r.out;
}

// ---- the scenarios --verify generates ----------------------------------------------------

TEST(RecommendVerify, ShortBoundsRunAsRecommended) {
  auto req = request(30);
  req.firewall_idle_s = 300;
  const auto r = judge(req, ssh(15, 1), ssh(7, 1), nullptr);
  ASSERT_TRUE(r);
  const auto plans = verify_plans(req, *r, 1);
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_TRUE(plans[0].run);
  EXPECT_EQ(plans[0].scale, 1);
  const auto sc = scenario::parse_string(plans[0].toml, "gen.toml");  // throws if the file is not valid
  EXPECT_EQ(sc.name, "recommend-1-blackhole");
  EXPECT_NE(plans[0].toml.find("ServerAliveInterval = 15\nServerAliveCountMax = 1\n"), std::string::npos) << plans[0].toml;
  EXPECT_NE(plans[0].toml.find("client_detect_max = \"30s\""), std::string::npos) << plans[0].toml;
  EXPECT_LE(plans[0].horizon_s, 36);
  // 300 s of firewall would take over 10 minutes: scaled by 15 to 20 s, not run.
  EXPECT_FALSE(plans[1].run);
  EXPECT_EQ(plans[1].scale, 15);
  EXPECT_NE(plans[1].toml.find("idle_timeout = \"20s\""), std::string::npos) << plans[1].toml;
  EXPECT_NE(plans[1].toml.find("ServerAliveInterval = 1\n"), std::string::npos) << plans[1].toml;
  EXPECT_NO_THROW(scenario::parse_string(plans[1].toml, "gen-fw.toml"));
}

TEST(RecommendVerify, LongBoundsAreScaledKeepingCounts) {
  const auto req = request(300);
  const auto r = judge(req, tcp(280, 5, 4), ssh(70, 1), nullptr);
  ASSERT_TRUE(r);
  const auto plan = verify_plans(req, *r, 2).at(0);
  EXPECT_FALSE(plan.run);
  EXPECT_EQ(plan.scale, 15);
  EXPECT_EQ(scaled(tcp(280, 5, 4), 15), tcp(19, 1, 4));  // 18.7 → 19; 0.3 → at least 1
  EXPECT_EQ(scaled(ssh(70, 1), 15), ssh(5, 1));
  // Under a scaled firewall timeout of 20 s, 299 s (which beat 300 s) must stay below 20 s.
  EXPECT_EQ(scaled(ssh(299, 2), 15, 20), ssh(19, 2));
  EXPECT_NE(plan.toml.find("agrees_with_model = true"), std::string::npos) << plan.toml;
  EXPECT_NO_THROW(scenario::parse_string(plan.toml, "gen-scaled.toml"));
}

}  // namespace
}  // namespace deadpeer::cli
