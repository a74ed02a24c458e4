#include "bench/BenchSuite.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <ostream>

#include "bench/BenchReport.hpp"
#include "bench/DelayBench.hpp"
#include "bench/FaultBench.hpp"
#include "bench/LabBench.hpp"
#include "bench/MatrixBench.hpp"
#include "bench/ObserveBench.hpp"
#include "bench/SchedStat.hpp"
#include "sys/Interrupt.hpp"

namespace deadpeer::bench {
namespace {

RowResult failed(const std::string& id, const std::string& why) {
  RowResult r;
  r.id = id;
  r.title = "could not be measured";
  r.verdict = Verdict::failed;
  r.reason = why;
  return r;
}

std::string kernel_name() {
  utsname u{};
  return ::uname(&u) == 0 ? std::string(u.sysname) + " " + u.release : "unknown kernel";
}

}  // namespace

const std::vector<std::string>& BenchSuite::row_ids() {
  static const std::vector<std::string> ids{LabBench::kId,        FaultBench::kId,  ObserveBench::kId,
                                            MatrixBench::kMatrixId, DelayBench::kId, MatrixBench::kMemoryId};
  return ids;
}

std::vector<RowResult> BenchSuite::run(const BenchOptions& options, const std::vector<std::string>& only,
                                       std::ostream& out) {
  const auto wanted = [&](const std::string& id) {
    return only.empty() || std::find(only.begin(), only.end(), id) != only.end();
  };
  const std::string mode = options.repeats ? "--repeats " + std::to_string(*options.repeats)
                                           : options.quick ? "--quick" : "full";
  out << BenchReport::header(mode, static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN)), kernel_name(), load_average())
      << std::flush;

  std::vector<RowResult> rows;
  const auto emit = [&](RowResult r) {
    out << BenchReport::row(r) << std::flush;
    rows.push_back(std::move(r));
  };
  const auto guarded = [&](const std::string& id, auto&& measure) {
    if (sys::Interrupt::requested()) return;
    try {
      measure();
    } catch (const std::exception& e) {
      emit(failed(id, e.what()));
    }
  };
  if (wanted(LabBench::kId)) guarded(LabBench::kId, [&] { emit(LabBench::run(options)); });
  if (wanted(FaultBench::kId)) guarded(FaultBench::kId, [&] { emit(FaultBench::run(options)); });
  if (wanted(ObserveBench::kId)) guarded(ObserveBench::kId, [&] { emit(ObserveBench::run(options)); });
  // matrix and memory come from the same runs: measured once when either is wanted.
  std::vector<RowResult> matrix_rows;
  if (wanted(MatrixBench::kMatrixId) || wanted(MatrixBench::kMemoryId))
    guarded(wanted(MatrixBench::kMatrixId) ? MatrixBench::kMatrixId : MatrixBench::kMemoryId,
            [&] { matrix_rows = MatrixBench::run(options); });
  for (auto& r : matrix_rows)
    if (r.id == MatrixBench::kMatrixId && wanted(r.id)) emit(std::move(r));
  if (wanted(DelayBench::kId)) guarded(DelayBench::kId, [&] { emit(DelayBench::run(options)); });
  for (auto& r : matrix_rows)
    if (r.id == MatrixBench::kMemoryId && wanted(r.id)) emit(std::move(r));
  out << BenchReport::summary(rows) << std::flush;
  return rows;
}

}  // namespace deadpeer::bench
