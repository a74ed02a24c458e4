#pragma once
// The baselines' way of doing things: run a command-line tool (`ip`, `nft`) and wait for it,
// as a shell script would. Only the bench does this; the harness never shells out.
//
// posix_spawn (vfork + exec in glibc) is the cheapest way to start a program, so the baselines
// are not slowed by how we start them. No shell is involved: argv goes to execve as is.
#include <string>
#include <vector>

namespace deadpeer::sys {
class Netns;
}

namespace deadpeer::bench {

class ShellOut {
 public:
  // Runs argv[0] (an absolute path) with argv, inside `ns` when given; throws sys::Error naming
  // the command and quoting what it printed when it fails or exits non-zero.
  static void run(const std::vector<std::string>& argv, const sys::Netns* ns = nullptr);
  // The same, returning the exit status and output instead of throwing on a non-zero status.
  struct Result {
    int status;
    std::string output;  // stdout and stderr, in the order written
  };
  static Result try_run(const std::vector<std::string>& argv, const sys::Netns* ns = nullptr);
};

}  // namespace deadpeer::bench
