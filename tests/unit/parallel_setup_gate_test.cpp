// run/SetupGate: at most `slots` setups at once, admitted in the order they asked, every slot
// given back whether the setup finished or threw.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "run/SetupGate.hpp"

namespace deadpeer::run {
namespace {

using namespace std::chrono_literals;

TEST(SetupGate, NeverMoreThanItsSlotsAtOnce) {
  SetupGate gate(2);
  std::atomic<int> inside{0}, most{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      auto permit = gate.enter();
      const int now = ++inside;
      for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
      }
      std::this_thread::sleep_for(5ms);
      --inside;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(most.load(), 2);
}

TEST(SetupGate, AdmitsInTheOrderOfAsking) {
  SetupGate gate(1);
  auto first = gate.enter();  // holds the only slot while the others queue up
  std::mutex m;
  std::vector<int> order;
  std::vector<std::thread> threads;
  for (int i = 0; i < 5; ++i) {
    threads.emplace_back([&, i] {
      auto permit = gate.enter();
      std::lock_guard lock(m);
      order.push_back(i);
    });
    std::this_thread::sleep_for(20ms);  // thread i has taken its ticket before i+1 starts
  }
  first.release();
  for (auto& t : threads) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(SetupGate, ASlotComesBackWhenTheSetupThrows) {
  SetupGate gate(1);
  EXPECT_THROW(
      {
        auto permit = gate.enter();
        throw std::runtime_error("lab failed");
      },
      std::runtime_error);
  auto again = gate.enter();  // would wait forever if the slot had leaked
  SUCCEED();
}

TEST(SetupGate, ReleasedEarlyOnlyOnce) {
  SetupGate gate(1);
  {
    auto permit = gate.enter();
    permit.release();
    permit.release();  // and again by the destructor: still one slot given back
  }
  auto a = gate.enter();
  std::atomic<bool> second_in{false};
  std::thread t([&] {
    auto b = gate.enter();
    second_in = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(second_in.load()) << "a double release let two setups in through one slot";
  a.release();
  t.join();
  EXPECT_TRUE(second_in.load());
}

TEST(SetupGate, ZeroOrLessMeansNoLimit) {
  SetupGate gate(-1);
  std::vector<SetupGate::Permit> permits;
  for (int i = 0; i < 100; ++i) permits.push_back(gate.enter());
  SUCCEED();
}

}  // namespace
}  // namespace deadpeer::run
