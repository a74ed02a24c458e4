#include "proc/OptionChecker.hpp"

#include <fmt/core.h>
#include <sys/stat.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/process.hpp>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <future>
#include <map>
#include <stdexcept>
#include <system_error>

#include "scenario/DidYouMean.hpp"
#include "scenario/FieldRules.hpp"

namespace deadpeer::proc {

namespace bp = boost::process;
namespace fs = std::filesystem;
using scenario::Diagnostic;
using scenario::Setting;

namespace {

// A private (0700) directory for sshd's empty config and throwaway host key, removed on scope
// exit. The key must not be readable by others or sshd may refuse it. Named after our pid, so
// that `deadpeer cleanup` can remove it when a SIGKILL got us first (kOptionCheckPrefix).
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (fs::temp_directory_path() / (std::string(kOptionCheckPrefix) + std::to_string(::getpid()) + "-XXXXXX")).string();
    if (!::mkdtemp(pattern.data()))
      throw std::system_error(errno, std::generic_category(), "creating temporary directory " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
    if (ec) fmt::print(stderr, "deadpeer: cannot remove temporary directory {}: {}\n", path_.string(), ec.message());
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string option_arg(const Setting& s) { return s.key + "=" + scenario::render(s.value); }

// ssh's complaint without its "command-line line 0: " prefix (the line is always 0 for -o,
// so it tells nothing) and without lines that are not about the options.
std::string complaint(const std::string& stderr_text) {
  std::string result;
  std::size_t start = 0;
  while (start < stderr_text.size()) {
    std::size_t end = stderr_text.find('\n', start);
    if (end == std::string::npos) end = stderr_text.size();
    std::string line = stderr_text.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line.find("Pseudo-terminal will not be allocated") != std::string::npos) continue;
    for (const char* prefix : {"command-line line 0: ", "command-line: line 0: "})
      if (line.rfind(prefix, 0) == 0) line.erase(0, std::strlen(prefix));
    while (!line.empty() && (line.back() == '.' || line.back() == '\r' || line.back() == ' ')) line.pop_back();
    result += (result.empty() ? "" : "; ") + line;
  }
  return result.empty() ? "rejected without a message" : result;
}

// First word of each line of `ssh -G` / `sshd -T` output: every keyword this build knows of
// (those it prints, at least), in lower case.
std::vector<std::string> keywords_of(const std::string& dump) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < dump.size()) {
    std::size_t end = dump.find('\n', start);
    if (end == std::string::npos) end = dump.size();
    std::size_t space = dump.find(' ', start);
    std::string word = dump.substr(start, std::min(space, end) - start);
    if (!word.empty() && std::find(words.begin(), words.end(), word) == words.end()) words.push_back(word);
    start = end + 1;
  }
  return words;
}

}  // namespace

struct OptionChecker::Side {
  std::string program;  // "ssh" / "sshd", for messages
  std::string section;  // "client" / "server"
  std::string manual;   // "ssh_config" / "sshd_config"
  fs::path exe;
  std::vector<std::string> before;  // arguments before the -o list
  std::vector<std::string> after;   // and after it

  std::vector<std::string> args(const std::vector<const Setting*>& options) const {
    std::vector<std::string> a = before;
    for (const Setting* s : options) {
      a.push_back("-o");
      a.push_back(option_arg(*s));
    }
    a.insert(a.end(), after.begin(), after.end());
    return a;
  }
};

OptionChecker::OptionChecker(SshBinaries binaries, std::chrono::milliseconds timeout)
    : binaries_(std::move(binaries)), timeout_(timeout) {}

std::vector<Diagnostic> OptionChecker::check_client_options(const std::vector<Setting>& options) const {
  if (options.empty()) return {};
  // -F /dev/null: neither ~/.ssh/config nor /etc/ssh/ssh_config may change the verdict.
  Side side{"ssh", "client", "ssh_config", binaries_.ssh, {"-G", "-F", "/dev/null"}, {"lab-host"}};
  return check(side, options);
}

std::vector<Diagnostic> OptionChecker::check_server_options(const std::vector<Setting>& options) const {
  if (options.empty()) return {};
  ensure_privsep_dir();
  TempDir dir;
  const fs::path config = dir.path() / "sshd_config";
  const fs::path host_key = dir.path() / "host_ed25519";
  {
    // Empty on purpose: only the scenario's options and sshd's compiled-in defaults count.
    std::ofstream create(config);
    if (!create) throw std::runtime_error("checking sshd options: cannot create " + config.string());
  }
  // Without -h sshd would load /etc/ssh host keys, which may not exist (or not be readable).
  Run keygen =
      run(binaries_.ssh_keygen, {"-q", "-t", "ed25519", "-N", "", "-C", "deadpeer-optcheck", "-f", host_key.string()});
  if (keygen.exit_code != 0)
    throw std::runtime_error("checking sshd options: " + binaries_.ssh_keygen.string() +
                             " could not create a throwaway host key in " + dir.path().string() + ": " +
                             complaint(keygen.err));
  Side side{"sshd", "server", "sshd_config", binaries_.sshd, {"-T", "-f", config.string(), "-h", host_key.string()},
            {}};
  return check(side, options);
}

std::vector<Diagnostic> OptionChecker::check(const Side& side, const std::vector<Setting>& options) const {
  std::vector<const Setting*> all;
  for (const auto& s : options) all.push_back(&s);
  if (run(side.exe, side.args(all)).exit_code == 0) return {};

  // Something is wrong. First make sure it is the options: with none at all the binary must
  // succeed, and its output is the keyword list for suggestions.
  Run baseline = run(side.exe, side.args({}));
  if (baseline.exit_code != 0)
    throw std::runtime_error("checking " + side.section + " options: " + side.exe.string() +
                             " fails even without options (exit " + std::to_string(baseline.exit_code) +
                             "): " + complaint(baseline.err));
  const std::vector<std::string> keywords = keywords_of(baseline.out);
  // Suggest the user's own spelling when another of their options names the keyword.
  std::map<std::string, std::string> spelling;
  for (const auto& s : options) spelling.emplace(lower(s.key), s.key);

  std::vector<Diagnostic> diagnostics;
  for (const Setting* s : all) {
    Run alone = run(side.exe, side.args({s}));
    if (alone.exit_code == 0) continue;
    const std::string why = complaint(alone.err);
    std::string hint;
    if (why.find("Bad configuration option") != std::string::npos) {
      if (auto best = scenario::closest_match(s->key, keywords)) {
        auto own = spelling.find(*best);
        hint = "did you mean '" + (own != spelling.end() ? own->second : *best) + "'?";
      } else {
        hint = "not a keyword of this " + side.program + "; see man " + side.manual;
      }
    } else {
      hint = "this is " + side.program + "'s own message; see man " + side.manual + " for " + s->key;
    }
    diagnostics.push_back(Diagnostic{
        s->loc,
        side.program + " rejects [" + side.section + "] " + s->key + " = " + scenario::describe(s->value) + ": " + why,
        hint});
  }
  if (diagnostics.empty()) {
    // Each option passes alone, so they conflict with each other.
    diagnostics.push_back(Diagnostic{
        options.front().loc,
        side.program + " rejects the [" + side.section +
            "] options together although each is accepted alone: " + complaint(run(side.exe, side.args(all)).err),
        "look for options that contradict each other"});
  }
  return diagnostics;
}

OptionChecker::Run OptionChecker::run(const fs::path& exe, const std::vector<std::string>& args) const {
  boost::asio::io_context io;
  std::future<std::string> out, err;
  std::error_code ec;
  // Arguments go straight to execve: no shell, so option values need no quoting.
  bp::child child(bp::exe = exe.string(), bp::args = args, bp::std_in<bp::null, bp::std_out> out, bp::std_err > err, io,
                  ec);
  if (ec) throw std::runtime_error("checking options: cannot run " + exe.string() + ": " + ec.message());
  io.run_for(timeout_);
  if (!io.stopped()) {
    child.terminate(ec);
    throw std::runtime_error("checking options: " + exe.string() + " did not finish within " +
                             std::to_string(timeout_.count()) + " ms");
  }
  child.wait(ec);
  return Run{child.exit_code(), out.get(), err.get()};
}

void OptionChecker::ensure_privsep_dir() const {
  const fs::path& dir = binaries_.privsep_dir;
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return;
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
    throw std::system_error(errno, std::generic_category(),
                            "creating " + dir.string() + " (sshd -T needs its privilege-separation directory)");
  // The umask may have narrowed the mode; sshd insists the directory is not group/world-writable
  // and the Debian package uses exactly 0755.
  if (::chmod(dir.c_str(), 0755) != 0)
    throw std::system_error(errno, std::generic_category(), "setting mode 0755 on " + dir.string());
}

std::vector<Diagnostic> check_client_options(const std::vector<Setting>& options) {
  return OptionChecker().check_client_options(options);
}

std::vector<Diagnostic> check_server_options(const std::vector<Setting>& options) {
  return OptionChecker().check_server_options(options);
}

}  // namespace deadpeer::proc
