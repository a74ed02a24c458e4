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

  // Integrity failures of the SSH transport: forged or corrupted bytes in the stream.
  static constexpr std::array mac = {"message authentication code incorrect", "Corrupted MAC on input",
                                     "Bad packet length", "Integrity error", "MAC error", "padding error",
                                     "invalid packet length", "Bad hmac"};
  for (const char* m : mac)
    if (has(line, m)) return Cause::mac_error;

  if (has(line, "Connection reset") || has(line, "connection reset")) return Cause::reset;
  if (has(line, "Connection timed out")) return timeout_cause(hint);
  if (has(line, "Broken pipe")) return hint == TcpHint::unknown ? Cause::other : timeout_cause(hint);
  if (has(line, "No route to host") || has(line, "Network is unreachable") ||
      has(line, "Host is unreachable") || has(line, "Protocol error") || has(line, "Connection refused"))
    return Cause::other;
  // Orderly closes: "Connection to X closed by remote host.", "Connection closed by A port P",
  // "Received disconnect from ...", "Disconnected from user ...".
  if (has(line, "closed by remote host") || has(line, "Connection closed by") ||
      has(line, "Received disconnect") || has(line, "Disconnected from") || has(line, "Exited normally"))
    return Cause::eof;
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
