#pragma once
// Files and namespaces named after the process that made them, its pid right after a prefix:
// "dpprobe-<pid>", ".staging-<pid>-<random>", "deadpeer-optcheck-<pid>-<random>". Cleanup may
// remove one only when that process is gone.
#include <string>

namespace deadpeer::sys {

// Whether `name` starts with `prefix` and the pid after it names no process. A malformed pid
// counts as alive (not ours to remove), and so does a pid that exists again, which may be
// another process.
bool creator_gone(const std::string& name, const std::string& prefix);

}  // namespace deadpeer::sys
