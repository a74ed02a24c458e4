#include "proc/DropbearKeys.hpp"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "proc/Process.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::proc {

void DropbearKeys::convert(const std::string& openssh_key, const std::string& dropbear_key) {
  const auto r = Process::run(kConvert, {"openssh", "dropbear", openssh_key, dropbear_key});
  if (r.status != 0)
    throw sys::Error("dropbearconvert openssh dropbear " + openssh_key + " " + dropbear_key + " (exit " +
                     std::to_string(r.status) + "): " + r.out);
}

std::string DropbearKeys::make_home(const std::string& home, const std::string& file, const std::string& content) {
  // Idempotent: a server restarted in the same case (the reboot fault) prepares it again.
  for (const std::string& d : {home, home + "/.ssh"}) {
    if (::mkdir(d.c_str(), 0700) < 0 && errno != EEXIST) sys::throw_errno("mkdir " + d + " (Dropbear home)");
    if (::chmod(d.c_str(), 0700) < 0) sys::throw_errno("chmod 0700 " + d + " (Dropbear home)");
  }
  const std::string path = home + "/.ssh/" + file;
  {
    std::ofstream out(path, std::ios::trunc);
    out << content;
    if (!out) throw sys::Error("write " + path);
  }
  if (::chmod(path.c_str(), 0600) < 0) sys::throw_errno("chmod 0600 " + path);
  return home;
}

std::string DropbearKeys::known_hosts_for_dbclient(const std::string& openssh_known_hosts) {
  std::istringstream in(openssh_known_hosts);
  std::string out;
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string host, type, key;
    if (!(words >> host >> type >> key) || host[0] == '#') continue;
    out += host + " " + type + " " + key + "\n";
  }
  return out;
}

std::string DropbearKeys::read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw sys::Error("read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace deadpeer::proc
