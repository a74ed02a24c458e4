#pragma once
// The selftests' "acquire; defer undo" idiom: the undo runs at scope exit, LIFO, and never throws.
#include <exception>
#include <functional>
#include <utility>

#include "sys/Log.hpp"

namespace deadpeer::sys {

class Defer {
 public:
  explicit Defer(std::function<void()> fn) : fn_(std::move(fn)) {}
  Defer(const Defer&) = delete;
  Defer& operator=(const Defer&) = delete;
  ~Defer() {
    if (!fn_) return;
    try {
      fn_();
    } catch (const std::exception& e) {
      log("sys").error("deferred undo failed: {}", e.what());
    } catch (...) {
      log("sys").error("deferred undo failed with a non-standard exception");
    }
  }
  void cancel() { fn_ = nullptr; }

 private:
  std::function<void()> fn_;
};

}  // namespace deadpeer::sys
