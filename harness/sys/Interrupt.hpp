#pragma once
// SIGINT/SIGTERM handling without async-signal hazards: the signals are blocked in every thread
// and a dedicated thread receives them with sigwait, marks the run as interrupted and wakes every
// waiter, so each case unwinds through its destructors (namespaces, rules, processes, temp dirs).
#include <functional>
#include <list>
#include <mutex>

namespace deadpeer::sys {

class Interrupt {
 public:
  // Blocks SIGINT/SIGTERM/SIGHUP in the calling thread (call first thing in main, before any
  // thread exists so all inherit the mask) and starts the receiving thread.
  static void install();
  static bool requested();
  static int signal_number();  // the signal received, 0 if none
  static void request(int sig);

  // Calls fn (from the signal thread) when an interrupt arrives; unsubscribes on destruction.
  class Subscription {
   public:
    explicit Subscription(std::function<void()> fn);
    ~Subscription();
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

   private:
    std::list<std::function<void()>>::iterator it_;
  };
};

}  // namespace deadpeer::sys
