#pragma once
// Dropbear's view of the run's keys (proc/SshKeys, OpenSSH format): the same host and user
// keys converted with dropbearconvert, so one known_hosts and one authorized_keys serve both
// implementations and an OpenSSH client can check a Dropbear server's host key (and back).
//
// Dropbear reads two files only from a home directory: the server authorized_keys from the
// login user's ~/.ssh (svr-authpubkey.c), dbclient known_hosts from $HOME/.ssh (cli-kex.c).
// Both get a private home inside the case directory; nothing is written in the host's homes.
#include <string>

namespace deadpeer::proc {

class DropbearKeys {
 public:
  static constexpr const char* kConvert = "/usr/bin/dropbearconvert";

  // dropbearconvert openssh dropbear <openssh_key> <dropbear_key>; throws with its output.
  static void convert(const std::string& openssh_key, const std::string& dropbear_key);
  // Creates (or reuses) `home` (0700), `home/.ssh` (0700) and `home/.ssh/<file>` (0600) holding
  // `content`: Dropbear's checkpubkeyperms() refuses group/other-writable ones. Returns `home`.
  static std::string make_home(const std::string& home, const std::string& file, const std::string& content);
  // cli-kex.c base64-decodes everything after the key type, so a trailing comment ("… deadpeer")
  // makes a correct key mismatch: keeps "host type base64" of each line.
  static std::string known_hosts_for_dbclient(const std::string& openssh_known_hosts);
  static std::string read_file(const std::string& path);
};

}  // namespace deadpeer::proc
