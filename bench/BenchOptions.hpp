#pragma once
// How much `deadpeer bench` repeats each measurement.
#include <optional>

namespace deadpeer::bench {

struct BenchOptions {
  bool quick = false;          // a CI smoke run: a few repeats per row, enough to see it works
  std::optional<int> repeats;  // --repeats N: this many of everything, baselines included

  // Repeats for a row whose full run takes `full` and quick run takes `quick`.
  int count(int full, int quick_count) const { return repeats ? *repeats : (quick ? quick_count : full); }
};

}  // namespace deadpeer::bench
