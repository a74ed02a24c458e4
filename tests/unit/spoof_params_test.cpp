// The spoofing kinds' parameters as a scenario writes them: valid settings pass, every mistake
// is reported at the parameter's own line before any namespace exists, and the registry knows
// all three kinds.
#include <gtest/gtest.h>

#include <algorithm>

#include "faults/FaultFactory.hpp"

namespace deadpeer::faults {
namespace {

struct Spec {
  scenario::FaultSpec spec;
  explicit Spec(const std::string& kind) {
    spec.kind = kind;
    spec.loc = {"spoof.toml", 3, 1};
  }
  Spec& set(const std::string& key, scenario::Value v) {
    const int line = 4 + static_cast<int>(spec.params.size());
    spec.params[key] = scenario::Setting{key, std::move(v), {"spoof.toml", line, 1}};
    return *this;
  }
};

std::vector<scenario::Diagnostic> check(const Spec& s) { return FaultFactory::validate(s.spec); }

void expect_one_error(const Spec& s, int line, const std::string& needle) {
  const auto d = check(s);
  ASSERT_EQ(d.size(), 1u) << (d.empty() ? "no diagnostic" : d[0].str() + " …");
  EXPECT_EQ(d[0].loc.line, line) << d[0].str();
  EXPECT_NE(d[0].str().find(needle), std::string::npos) << d[0].str();
}

TEST(SpoofParams, AllThreeKindsAreRegistered) {
  const auto names = FaultFactory::kind_names();
  for (const char* k : {"spoof-keepalive", "spoof-rst", "spoof-data"})
    EXPECT_NE(std::find(names.begin(), names.end(), k), names.end()) << k;
}

TEST(SpoofParams, DefaultsAndValidSettingsPass) {
  for (const char* k : {"spoof-keepalive", "spoof-rst", "spoof-data"}) EXPECT_TRUE(check(Spec(k)).empty()) << k;
  for (const char* d : {"to-client", "to-server", "both"})
    EXPECT_TRUE(check(Spec("spoof-keepalive").set("direction", std::string(d))).empty()) << d;
  EXPECT_TRUE(check(Spec("spoof-rst").set("target", std::string("client")).set("exact", false)).empty());
  EXPECT_TRUE(check(Spec("spoof-data").set("target", std::string("server")).set("bytes", std::int64_t{64})).empty());
}

TEST(SpoofParams, MistakesAreReportedAtTheirLine) {
  expect_one_error(Spec("spoof-keepalive").set("direction", std::string("sideways")), 4, "direction");
  expect_one_error(Spec("spoof-rst").set("target", std::string("router")), 4, "target");
  expect_one_error(Spec("spoof-rst").set("exact", std::string("maybe")), 4, "exact");
  expect_one_error(Spec("spoof-data").set("bytes", std::int64_t{0}), 4, "bytes");
  expect_one_error(Spec("spoof-data").set("bytes", std::int64_t{5000}), 4, "bytes");
  // A parameter of another kind is a typo here.
  expect_one_error(Spec("spoof-data").set("exact", true), 4, "exact");
  expect_one_error(Spec("spoof-keepalive").set("target", std::string("server")), 4, "target");
}

}  // namespace
}  // namespace deadpeer::faults
