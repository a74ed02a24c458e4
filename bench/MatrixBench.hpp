#pragma once
// Rows `matrix` and `memory`, from the same runs of the real Runner on a generated scenario:
// 32 cases (a [matrix] over a sysctl nobody reads, so every case behaves the same) of a
// blackhole with ServerAlive/ClientAlive 1 s × 2, all at once (--jobs 32), against one of them
// alone. `matrix` compares the wall times; `memory` divides the harness's RSS growth during the
// 32-case run by the cases running at once. The same cases are also run traced (`trace = true`),
// so the row shows how far ssh's exits were from the model's instant, at once and alone:
// concurrency must not cost timing accuracy.
#include <vector>

#include "bench/BenchOptions.hpp"
#include "bench/BenchRow.hpp"

namespace deadpeer::bench {

class MatrixBench {
 public:
  static constexpr const char* kMatrixId = "matrix";
  static constexpr const char* kMemoryId = "memory";
  static constexpr int kCases = 32;
  // The generated scenario (TOML), for the row's notes and for tests.
  static std::string scenario_text(int cases, bool traced);
  // Both rows; the caller prints the ones it was asked for.
  static std::vector<RowResult> run(const BenchOptions& options);
};

}  // namespace deadpeer::bench
