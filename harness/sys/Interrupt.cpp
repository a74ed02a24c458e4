#include "sys/Interrupt.hpp"

#include <signal.h>

#include <atomic>
#include <thread>

#include "sys/Log.hpp"

namespace deadpeer::sys {
namespace {
std::atomic<int> g_signal{0};
std::mutex g_mutex;
std::list<std::function<void()>> g_subscribers;
}  // namespace

void Interrupt::install() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set] {
    for (;;) {
      int sig = 0;
      if (sigwait(&set, &sig) != 0) continue;
      log("run").warn("received signal {}: stopping cases and cleaning up", sig);
      request(sig);
    }
  }).detach();
}

bool Interrupt::requested() { return g_signal.load() != 0; }
int Interrupt::signal_number() { return g_signal.load(); }

void Interrupt::request(int sig) {
  g_signal.store(sig);
  std::lock_guard lock(g_mutex);
  for (auto& fn : g_subscribers) fn();
}

Interrupt::Subscription::Subscription(std::function<void()> fn) {
  std::lock_guard lock(g_mutex);
  it_ = g_subscribers.insert(g_subscribers.end(), std::move(fn));
}

Interrupt::Subscription::~Subscription() {
  std::lock_guard lock(g_mutex);
  g_subscribers.erase(it_);
}

}  // namespace deadpeer::sys
