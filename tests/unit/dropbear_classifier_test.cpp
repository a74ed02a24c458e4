// CauseClassifier over Dropbear 2022.83's own messages (exact texts from its sources, confirmed
// by the lines real dropbear/dbclient printed in tests/integration/dropbear_test.cpp):
//   server, -E log on stderr: "[pid] Mon DD HH:MM:SS " + svr_dropbear_exit()'s
//     "Exit (user) from <addr:port>: " + the reason (svr-session.c);
//   dbclient, on stderr: "<argv0>: Connection to user@host:port exited: " + the reason
//     (cli-session.c cli_dropbear_exit);
//   reasons: "Keepalive timeout", "Idle timeout" (common-session.c checktimeouts), "Error
//   reading: <strerror>", "Error writing: <strerror>" (packet.c), "Remote closed the connection"
//   (cli-session.c), "Exited normally" (svr-session.c), "Disconnect received" (process-packet.c).
// OpenSSH's classifications are covered by core_classifier_test.cpp and must not change.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "observe/Cause.hpp"
#include "observe/CauseClassifier.hpp"

namespace deadpeer::observe {
namespace {

std::string describe(const std::optional<Cause>& c) { return c ? std::string(to_string(*c)) : "nullopt"; }

const std::string kServer = "[14232] Nov 24 22:12:22 Exit (root) from <198.51.100.2:45684>: ";
const std::string kClient = "/usr/bin/dbclient: Connection to root@203.0.113.2:22 exited: ";

struct DropbearLine {
  std::string line;
  Side side;
  TcpHint hint;
  std::optional<Cause> expected;
};

void PrintTo(const DropbearLine& c, std::ostream* os) {
  *os << "'" << c.line << "' (" << (c.side == Side::client ? "dbclient" : "dropbear") << ") → "
      << describe(c.expected);
}

class DropbearClassify : public ::testing::TestWithParam<DropbearLine> {};

TEST_P(DropbearClassify, StatesTheExpectedCause) {
  const DropbearLine& c = GetParam();
  EXPECT_EQ(describe(CauseClassifier::classify_line(c.line, c.side, c.hint)), describe(c.expected));
}

INSTANTIATE_TEST_SUITE_P(
    Keepalive, DropbearClassify,
    ::testing::Values(
        // -K: the same words at both ends; the side that said them decides the cause.
        DropbearLine{kServer + "Keepalive timeout", Side::server, TcpHint::data_in_flight, Cause::clientalive},
        DropbearLine{kClient + "Keepalive timeout", Side::client, TcpHint::data_in_flight, Cause::serveralive},
        // -I and the login limit are timers, not verdicts on the peer.
        DropbearLine{kServer + "Idle timeout", Side::server, TcpHint::unknown, Cause::other},
        DropbearLine{kClient + "Idle timeout", Side::client, TcpHint::unknown, Cause::other},
        DropbearLine{"[9] Nov 24 22:12:22 Exit before auth from <198.51.100.2:45684>: Timeout before auth",
                     Side::server, TcpHint::unknown, Cause::other}));

INSTANTIATE_TEST_SUITE_P(
    Tcp, DropbearClassify,
    ::testing::Values(
        DropbearLine{kServer + "Error reading: Connection reset by peer", Side::server, TcpHint::unknown, Cause::reset},
        DropbearLine{kClient + "Error writing: Connection reset by peer", Side::client, TcpHint::unknown, Cause::reset},
        // Dropbear never sets SO_KEEPALIVE, but the caller's hint still decides what ETIMEDOUT meant.
        DropbearLine{kServer + "Error reading: Connection timed out", Side::server, TcpHint::data_in_flight,
                     Cause::tcp_retransmit},
        DropbearLine{kClient + "Error writing: Connection timed out", Side::client, TcpHint::data_in_flight,
                     Cause::tcp_retransmit},
        DropbearLine{kClient + "Error writing: Broken pipe", Side::client, TcpHint::data_in_flight,
                     Cause::tcp_retransmit},
        DropbearLine{kClient + "Error writing: Broken pipe", Side::client, TcpHint::unknown, Cause::other},
        DropbearLine{kServer + "Error reading: No route to host", Side::server, TcpHint::unknown, Cause::other},
        DropbearLine{"/usr/bin/dbclient: Exited: Connect failed: Connection refused", Side::client, TcpHint::unknown,
                     Cause::other}));

INSTANTIATE_TEST_SUITE_P(
    OrderlyClose, DropbearClassify,
    ::testing::Values(
        DropbearLine{kServer + "Exited normally", Side::server, TcpHint::unknown, Cause::eof},
        DropbearLine{kServer + "Disconnect received", Side::server, TcpHint::unknown, Cause::eof},
        DropbearLine{kClient + "Remote closed the connection", Side::client, TcpHint::unknown, Cause::eof},
        DropbearLine{kClient + "Disconnect received", Side::client, TcpHint::unknown, Cause::eof},
        DropbearLine{"Connection to root@203.0.113.2:22 closed.", Side::client, TcpHint::unknown, Cause::eof}));

INSTANTIATE_TEST_SUITE_P(
    Integrity, DropbearClassify,
    ::testing::Values(DropbearLine{kServer + "Integrity error", Side::server, TcpHint::unknown, Cause::mac_error},
                      DropbearLine{kClient + "HMAC error", Side::client, TcpHint::unknown, Cause::mac_error},
                      DropbearLine{kServer + "Error decrypting", Side::server, TcpHint::unknown, Cause::mac_error},
                      DropbearLine{kClient + "Bad packet size 123456", Side::client, TcpHint::unknown,
                                   Cause::mac_error}));

// Any other reason still ends the session: it must not go unnoticed.
INSTANTIATE_TEST_SUITE_P(
    OtherEnds, DropbearClassify,
    ::testing::Values(DropbearLine{kServer + "Child failed", Side::server, TcpHint::unknown, Cause::other},
                      DropbearLine{kClient + "Unexpected channel reply", Side::client, TcpHint::unknown, Cause::other},
                      DropbearLine{"[9] Nov 24 22:12:22 Early exit from <198.51.100.2:45684>: Terminated by signal",
                                   Side::server, TcpHint::unknown, Cause::other}));

// Lines of a healthy server or client that end nothing.
INSTANTIATE_TEST_SUITE_P(
    NotAnEnd, DropbearClassify,
    ::testing::Values(
        DropbearLine{"[13807] Nov 24 22:12:14 Not backgrounding", Side::server, TcpHint::unknown, std::nullopt},
        DropbearLine{"[13829] Nov 24 22:12:14 Child connection from 198.51.100.2:60964", Side::server,
                     TcpHint::unknown, std::nullopt},
        DropbearLine{"[14232] Nov 24 22:12:22 Pubkey auth succeeded for 'root' with ssh-ed25519 key "
                     "SHA256:eVt0vZuwmpods0ZEvOQE3crkUtYtWxVqLxJu7R3xuD4 from 198.51.100.2:45684",
                     Side::server, TcpHint::unknown, std::nullopt},
        // The listener itself stopped by the harness at teardown: not a session's end.
        DropbearLine{"[14226] Nov 24 22:12:22 Early exit: Terminated by signal", Side::server, TcpHint::unknown,
                     std::nullopt},
        DropbearLine{"", Side::client, TcpHint::unknown, std::nullopt},
        DropbearLine{"deadpeer-ready", Side::client, TcpHint::unknown, std::nullopt}));

TEST(DropbearClientExit, ItsReasonWinsOverTheExitStatus) {
  // cli_dropbear_exit() prints an empty line first, then the reason; exit status 1.
  const std::vector<std::string> lines = {"", kClient + "Keepalive timeout"};
  EXPECT_EQ(to_string(CauseClassifier::classify_client_exit(lines, 1, TcpHint::data_in_flight)), "serveralive");
  // No reason printed: an exit that is not ssh's 255 is the remote command's status (eof).
  EXPECT_EQ(to_string(CauseClassifier::classify_client_exit({}, 0, TcpHint::unknown)), "eof");
}

}  // namespace
}  // namespace deadpeer::observe
