#include "observe/CauseClassifier.hpp"

#include <array>
#include <utility>

namespace deadpeer::observe {
namespace {

bool has(const std::string& line, const char* needle) { return line.find(needle) != std::string::npos; }

Cause timeout_cause(TcpHint hint) {
  return hint == TcpHint::idle ? Cause::tcp_keepalive : Cause::tcp_retransmit;
}

}  // namespace

std::optional<Cause> CauseClassifier::classify_line(const std::string& line, Side side, TcpHint hint) {
  // SSH-level keepalives. OpenSSH client: "Timeout, server X not responding."; sshd: "Timeout,
  // client not responding from user U A port P". Dropbear (both ends): "Keepalive timeout"
  // (older: "No response to keepalives"), and its idle timeout "Idle timeout".
  if (has(line, "Timeout, server") && has(line, "not responding")) return Cause::serveralive;
  if (has(line, "Timeout, client not responding")) return Cause::clientalive;
  if (has(line, "Keepalive timeout") || has(line, "No response to keepalives"))
    return side == Side::client ? Cause::serveralive : Cause::clientalive;
  // Dropbear's -I and its 300 s login limit (common-session.c checktimeouts): deliberate closes
  // by a timer, not a keepalive verdict.
  if (has(line, "Idle timeout") || has(line, "Timeout before auth")) return Cause::other;

  // Integrity failures of the SSH transport: forged or corrupted bytes in the stream.
  // Dropbear (packet.c): "Integrity error", "HMAC error", "Error decrypting", "Bad packet size N".
  static constexpr std::array mac = {"message authentication code incorrect", "Corrupted MAC on input",
                                     "Bad packet length", "Integrity error", "MAC error", "padding error",
                                     "invalid packet length", "Bad hmac", "Error decrypting", "Bad packet size",
                                     // OpenSSH's fatal line after a corrupted packet (ssh_dispatch_run_fatal).
                                     "Connection corrupted"};
  for (const char* m : mac)
    if (has(line, m)) return Cause::mac_error;

  if (has(line, "Connection reset") || has(line, "connection reset")) return Cause::reset;
  if (has(line, "Connection timed out")) return timeout_cause(hint);
  if (has(line, "Broken pipe")) return hint == TcpHint::unknown ? Cause::other : timeout_cause(hint);
  if (has(line, "No route to host") || has(line, "Network is unreachable") ||
      has(line, "Host is unreachable") || has(line, "Protocol error") || has(line, "Connection refused"))
    return Cause::other;
  // Orderly closes: "Connection to X closed by remote host.", "Connection closed by A port P",
  // "Received disconnect from ...", "Disconnected from user ...". Dropbear: the server's
  // "Exit (U) from <A:P>: Exited normally" and "Disconnect received" (an SSH_MSG_DISCONNECT),
  // dbclient's "Remote closed the connection" (EOF) and "Connection to U@H:P closed." (the
  // remote command ended).
  if (has(line, "closed by remote host") || has(line, "Connection closed by") ||
      has(line, "Received disconnect") || has(line, "Disconnected from") || has(line, "Exited normally") ||
      has(line, "Disconnect received") || has(line, "Remote closed the connection"))
    return Cause::eof;
  if (has(line, "Connection to ") && line.size() >= 8 && line.compare(line.size() - 8, 8, " closed.") == 0)
    return Cause::eof;
  // Any other end of a Dropbear session: the server's svr_dropbear_exit() prefixes "Exit (U)
  // from <A:P>: ", "Exit before auth from <A:P>: " or "Early exit from <A:P>: "; dbclient's
  // cli_dropbear_exit() says "Connection to U@H:P exited: " (or "Exited: " before the session).
  if (has(line, "Exit (") || has(line, "Exit before auth") || has(line, "Early exit from") ||
      (has(line, "Connection to ") && has(line, " exited: ")) || has(line, ": Exited: "))
    return Cause::other;
  return std::nullopt;
}

Cause CauseClassifier::classify_client_exit(const std::vector<std::string>& stderr_lines, int exit_status,
                                            TcpHint hint) {
  for (auto it = stderr_lines.rbegin(); it != stderr_lines.rend(); ++it) {
    if (auto c = classify_line(*it, Side::client, hint)) return *c;
  }
  // ssh exits with the remote command's status when the session ends normally, 255 on error.
  return exit_status == 255 ? Cause::other : Cause::eof;
}

}  // namespace deadpeer::observe
