#include "bench/RssSampler.hpp"

#include <fstream>
#include <string>

#include "sys/SystemError.hpp"

namespace deadpeer::bench {

long RssSampler::current_bytes() {
  std::ifstream in("/proc/self/status");
  std::string key;
  long kb = 0;
  while (in >> key) {
    if (key == "VmRSS:" && in >> kb) return kb * 1024;
    in.ignore(4096, '\n');
  }
  throw sys::Error("reading VmRSS from /proc/self/status: not found");
}

RssSampler::RssSampler(std::chrono::milliseconds interval)
    : interval_(interval), peak_(current_bytes()), thread_([this] {
        std::unique_lock lock(mutex_);
        while (!stop_) {
          try {
            const long now = current_bytes();
            if (now > peak_.load()) peak_.store(now);
          } catch (const std::exception&) {
            return;  // the peak so far stands; /proc/self/status of a live process always has VmRSS
          }
          stop_cv_.wait_for(lock, interval_, [this] { return stop_; });
        }
      }) {}

RssSampler::~RssSampler() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  thread_.join();
}

}  // namespace deadpeer::bench
