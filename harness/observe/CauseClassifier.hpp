#pragma once
// Turns what a side printed (and how it exited) into a Cause.
//
// The texts are OpenSSH's and Dropbear's own messages (clientloop.c, serverloop.c, packet.c,
// Dropbear's common-session.c). ETIMEDOUT alone cannot tell kernel keepalive from
// retransmission, so the caller says whether that side had data in flight when the peer died
// (TcpHint): with unacknowledged data Linux suppresses keepalive probes and retransmission
// decides; with none, only keepalive can time the connection out.
#include <optional>
#include <string>
#include <vector>

#include "observe/Cause.hpp"

namespace deadpeer::observe {

enum class TcpHint { unknown, data_in_flight, idle };
enum class Side { client, server };

class CauseClassifier {
 public:
  // For one line of output: the cause it states, or nullopt if the line does not end a session.
  static std::optional<Cause> classify_line(const std::string& line, Side side, TcpHint hint);
  // For a client that exited: the last line stating a cause wins; else by exit status.
  static Cause classify_client_exit(const std::vector<std::string>& stderr_lines, int exit_status,
                                    TcpHint hint);
};

}  // namespace deadpeer::observe
