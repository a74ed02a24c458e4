#include "proc/SshKeys.hpp"

#include <fstream>
#include <sstream>

#include "proc/Process.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::proc {
namespace {

std::string keygen(const std::string& path) {
  auto r = Process::run("/usr/bin/ssh-keygen", {"-q", "-t", "ed25519", "-N", "", "-C", "deadpeer", "-f", path});
  if (r.status != 0) throw sys::Error("ssh-keygen -t ed25519 -f " + path + ": " + r.out);
  std::ifstream in(path + ".pub");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string pub = ss.str();
  if (pub.empty()) throw sys::Error("ssh-keygen wrote no public key at " + path + ".pub");
  return pub;
}

}  // namespace

SshKeys::SshKeys(const sys::TempDir& dir, const std::string& server_address)
    : host_key_(dir.file("host_ed25519")), user_key_(dir.file("user_ed25519")) {
  const std::string host_pub = keygen(host_key_);
  const std::string user_pub = keygen(user_key_);
  authorized_keys_ = dir.write("authorized_keys", user_pub);
  known_hosts_ = dir.write("known_hosts", server_address + " " + host_pub);
}

}  // namespace deadpeer::proc
