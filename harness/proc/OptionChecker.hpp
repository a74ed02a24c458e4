#pragma once
// Asks the real ssh and sshd whether a scenario's [client] and [server] options are valid,
// before any namespace exists. The binaries are the only authority on their own option names
// and value syntax (they change between OpenSSH releases), so the parser does not guess.
//
//   client: ssh -G -F /dev/null -o Key=Value ... lab-host        (prints the resolved config)
//   server: sshd -T -f <empty file> -h <throwaway key> -o Key=Value ...
//
// Normally one batch call per side; only when the batch fails is each option tried alone, to
// point at the culprit's file:line:column.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "scenario/Scenario.hpp"
#include "scenario/ScenarioError.hpp"

namespace deadpeer::proc {

// Temp dirs of the checks are "<TMPDIR>/deadpeer-optcheck-<pid>-XXXXXX": a SIGKILL during
// validation leaves one behind, and `deadpeer cleanup` removes those whose pid is gone.
inline constexpr const char* kOptionCheckPrefix = "deadpeer-optcheck-";

struct SshBinaries {
  std::filesystem::path ssh = "/usr/bin/ssh";
  std::filesystem::path sshd = "/usr/sbin/sshd";
  std::filesystem::path ssh_keygen = "/usr/bin/ssh-keygen";
  // sshd refuses to start, even for -T, without its privilege-separation directory. Debian's
  // sshd is built with /run/sshd (the package's own unit creates it 0755 root:root).
  std::filesystem::path privsep_dir = "/run/sshd";
};

class OptionChecker {
 public:
  explicit OptionChecker(SshBinaries binaries = {}, std::chrono::milliseconds timeout = std::chrono::seconds(10));

  // One Diagnostic per rejected option, at the option's SourceLoc, with ssh's own complaint
  // and a did-you-mean hint for unknown keywords. Empty when ssh accepts them all.
  // Throws std::runtime_error when the check itself cannot run (binary missing, temp dir,
  // host key, timeout, or the binary failing even without any option).
  std::vector<scenario::Diagnostic> check_client_options(const std::vector<scenario::Setting>& options) const;
  std::vector<scenario::Diagnostic> check_server_options(const std::vector<scenario::Setting>& options) const;

 private:
  struct Run {
    int exit_code;
    std::string out;
    std::string err;
  };
  struct Side;  // how to invoke one binary (ssh -G or sshd -T)

  std::vector<scenario::Diagnostic> check(const Side& side, const std::vector<scenario::Setting>& options) const;
  Run run(const std::filesystem::path& exe, const std::vector<std::string>& args) const;
  void ensure_privsep_dir() const;

  SshBinaries binaries_;
  std::chrono::milliseconds timeout_;
};

// With the default binaries.
std::vector<scenario::Diagnostic> check_client_options(const std::vector<scenario::Setting>& options);
std::vector<scenario::Diagnostic> check_server_options(const std::vector<scenario::Setting>& options);

}  // namespace deadpeer::proc
