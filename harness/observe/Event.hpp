#pragma once
// What the observer saw, timestamped on arrival on the case's single clock.
#include <string>

#include "sys/Clock.hpp"

namespace deadpeer::observe {

struct Event {
  enum class Kind { line, exit, mark };
  sys::TimePoint t;
  Kind kind = Kind::line;
  std::string source;  // "server.log", "client.stderr", "client.stdout", "client" (exit), "fault"
  std::string text;    // the line, without its newline; for marks, what happened
};

}  // namespace deadpeer::observe
