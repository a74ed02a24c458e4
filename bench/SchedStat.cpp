#include "bench/SchedStat.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "sys/UniqueFd.hpp"

namespace deadpeer::bench {

namespace {

SchedStat read_schedstat(const char* path) {
  SchedStat s;
  sys::UniqueFd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (!fd) return s;
  char buf[128];
  const ssize_t n = ::read(fd.get(), buf, sizeof buf - 1);
  if (n <= 0) return s;
  buf[n] = '\0';
  long long cpu = 0, wait = 0;
  if (std::sscanf(buf, "%lld %lld", &cpu, &wait) == 2) {
    s.on_cpu_ns = cpu;
    s.runqueue_wait_ns = wait;
  }
  return s;
}

}  // namespace

SchedStat SchedStat::now() { return read_schedstat("/proc/thread-self/schedstat"); }

SchedStat SchedStat::process() {
  SchedStat total;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    const auto s = read_schedstat((task.path() / "schedstat").c_str());
    total.on_cpu_ns += s.on_cpu_ns;
    total.runqueue_wait_ns += s.runqueue_wait_ns;
  }
  return total;
}

std::string load_average() {
  std::string text;
  sys::UniqueFd fd(::open("/proc/loadavg", O_RDONLY | O_CLOEXEC));
  char buf[128];
  const ssize_t n = fd ? ::read(fd.get(), buf, sizeof buf - 1) : -1;
  if (n <= 0) return text;
  // The first three fields: 1, 5 and 15 minute averages.
  int fields = 0;
  for (ssize_t i = 0; i < n && fields < 3; ++i) {
    if (buf[i] == ' ') ++fields;
    if (fields < 3 && buf[i] != '\n') text += buf[i];
  }
  return text;
}

}  // namespace deadpeer::bench
