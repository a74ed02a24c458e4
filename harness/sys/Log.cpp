#include "sys/Log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <mutex>

namespace deadpeer::sys {
namespace {
std::mutex g_mutex;
spdlog::level::level_enum g_level = spdlog::level::warn;
}  // namespace

spdlog::logger& log(const std::string& module) {
  std::lock_guard lock(g_mutex);
  if (auto existing = spdlog::get(module)) return *existing;
  // stderr: stdout carries the results table and machine-readable output.
  auto logger = spdlog::stderr_color_mt(module);
  logger->set_level(g_level);
  logger->set_pattern("%H:%M:%S.%e %^%l%$ [%n] %v");
  return *logger;
}

void set_log_level(spdlog::level::level_enum level) {
  std::lock_guard lock(g_mutex);
  g_level = level;
  spdlog::apply_all([level](const std::shared_ptr<spdlog::logger>& l) { l->set_level(level); });
}

}  // namespace deadpeer::sys
