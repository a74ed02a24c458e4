#pragma once
// Samples this process's resident set (VmRSS in /proc/self/status) on its own thread until
// destroyed, keeping the peak: the harness's memory while cases run, without instrumenting them.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace deadpeer::bench {

class RssSampler {
 public:
  explicit RssSampler(std::chrono::milliseconds interval = std::chrono::milliseconds(10));
  RssSampler(const RssSampler&) = delete;
  RssSampler& operator=(const RssSampler&) = delete;
  ~RssSampler();

  long peak_bytes() const { return peak_.load(); }
  static long current_bytes();  // VmRSS now; throws sys::Error if /proc/self/status lacks it

 private:
  std::chrono::milliseconds interval_;
  std::atomic<long> peak_{0};
  std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace deadpeer::bench
