#pragma once
// The keys of one run, generated with ssh-keygen into a private directory: the server's host
// key, the client's user key, the authorized_keys and known_hosts that tie them together.
// Generated once per run (ed25519, ~2 ms each) and shared read-only by its cases.
#include <string>

#include "sys/TempDir.hpp"

namespace deadpeer::proc {

class SshKeys {
 public:
  // dir: a private directory owned by the caller; server_address: for known_hosts.
  SshKeys(const sys::TempDir& dir, const std::string& server_address);

  const std::string& host_key() const { return host_key_; }
  const std::string& user_key() const { return user_key_; }
  const std::string& authorized_keys() const { return authorized_keys_; }
  const std::string& known_hosts() const { return known_hosts_; }

 private:
  std::string host_key_, user_key_, authorized_keys_, known_hosts_;
};

}  // namespace deadpeer::proc
