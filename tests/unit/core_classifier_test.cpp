// CauseClassifier over the real messages OpenSSH and Dropbear print when a session ends
// (clientloop.c, serverloop.c, packet.c, Dropbear's common-session.c), and over lines that
// do not end a session and must not be mistaken for a cause.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "observe/Cause.hpp"
#include "observe/CauseClassifier.hpp"

namespace deadpeer::observe {
namespace {

// Failures print "tcp-keepalive" or "nullopt" rather than enum numbers.
std::string describe(const std::optional<Cause>& c) { return c ? std::string(to_string(*c)) : "nullopt"; }

const char* side_name(Side s) { return s == Side::client ? "client" : "server"; }
const char* hint_name(TcpHint h) {
  switch (h) {
    case TcpHint::unknown: return "unknown";
    case TcpHint::data_in_flight: return "data_in_flight";
    case TcpHint::idle: return "idle";
  }
  return "?";
}

struct LineCase {
  std::string line;
  Side side;
  TcpHint hint;
  std::optional<Cause> expected;
};

void PrintTo(const LineCase& c, std::ostream* os) {
  *os << "'" << c.line << "' (" << side_name(c.side) << ", " << hint_name(c.hint) << ") → " << describe(c.expected);
}

class ClassifyLine : public ::testing::TestWithParam<LineCase> {};

TEST_P(ClassifyLine, StatesTheExpectedCause) {
  const LineCase& c = GetParam();
  EXPECT_EQ(describe(CauseClassifier::classify_line(c.line, c.side, c.hint)), describe(c.expected))
      << "line: '" << c.line << "' side " << side_name(c.side) << " hint " << hint_name(c.hint);
}

INSTANTIATE_TEST_SUITE_P(
    OpenSsh, ClassifyLine,
    ::testing::Values(
        // clientloop.c server_alive_check(): ServerAliveCountMax keepalives unanswered.
        LineCase{"Timeout, server 203.0.113.2 not responding.", Side::client, TcpHint::unknown, Cause::serveralive},
        LineCase{"Timeout, server 203.0.113.2 not responding.", Side::client, TcpHint::idle, Cause::serveralive},
        // serverloop.c client_alive_check(): ClientAliveCountMax unanswered.
        LineCase{"Timeout, client not responding from user root 198.51.100.2 port 33056", Side::server,
                 TcpHint::unknown, Cause::clientalive},
        // ECONNRESET on read, both ends.
        LineCase{"Read from remote host 203.0.113.2: Connection reset by peer", Side::client, TcpHint::unknown,
                 Cause::reset},
        LineCase{"Connection reset by 198.51.100.2 port 33056", Side::server, TcpHint::idle, Cause::reset},
        // ETIMEDOUT: the hint decides whether retransmission or keepalive gave up.
        LineCase{"Read error from remote host 198.51.100.2 port 5: Connection timed out", Side::server,
                 TcpHint::data_in_flight, Cause::tcp_retransmit},
        LineCase{"Read error from remote host 198.51.100.2 port 5: Connection timed out", Side::server, TcpHint::idle,
                 Cause::tcp_keepalive},
        LineCase{"Read from remote host 203.0.113.2: Connection timed out", Side::client, TcpHint::data_in_flight,
                 Cause::tcp_retransmit},
        LineCase{"Read from remote host 203.0.113.2: Connection timed out", Side::client, TcpHint::idle,
                 Cause::tcp_keepalive},
        // Orderly close by the peer.
        LineCase{"Connection to 203.0.113.2 closed by remote host.", Side::client, TcpHint::unknown, Cause::eof},
        LineCase{"Connection closed by 198.51.100.2 port 33056", Side::server, TcpHint::unknown, Cause::eof},
        LineCase{"Received disconnect from 198.51.100.2 port 33056:11: disconnected by user", Side::server,
                 TcpHint::unknown, Cause::eof},
        // Transport integrity (packet.c).
        LineCase{"ssh_dispatch_run_fatal: Connection to 203.0.113.2 port 22: message authentication code incorrect",
                 Side::client, TcpHint::unknown, Cause::mac_error},
        LineCase{"Corrupted MAC on input.", Side::server, TcpHint::unknown, Cause::mac_error},
        // A disconnect that carries a MAC complaint is a MAC error, not an orderly close.
        LineCase{"Received disconnect from 203.0.113.2 port 22:2: Corrupted MAC on input.", Side::client,
                 TcpHint::unknown, Cause::mac_error},
        // OpenSSH 9.x clients buffer "Read from remote host ..." and die first on the disconnect
        // they try to send to a dead socket: EPIPE then stands for the timeout, if the hint knows.
        LineCase{"client_loop: send disconnect: Broken pipe", Side::client, TcpHint::idle, Cause::tcp_keepalive},
        LineCase{"client_loop: send disconnect: Broken pipe", Side::client, TcpHint::data_in_flight,
                 Cause::tcp_retransmit},
        LineCase{"client_loop: send disconnect: Broken pipe", Side::client, TcpHint::unknown, Cause::other}));

INSTANTIATE_TEST_SUITE_P(
    NotAnEnd, ClassifyLine,
    ::testing::Values(
        LineCase{"Authenticated to 203.0.113.2 ([203.0.113.2]:22) using \"publickey\".", Side::client,
                 TcpHint::unknown, std::nullopt},
        LineCase{"Server listening on 203.0.113.2 port 22.", Side::server, TcpHint::unknown, std::nullopt},
        LineCase{"Server listening on 0.0.0.0 port 22.", Side::server, TcpHint::idle, std::nullopt},
        LineCase{"Accepted publickey for root from 198.51.100.2 port 33056 ssh2: ED25519 "
                 "SHA256:Ab8+Yq3ZcVz0T1m9xWn5K2LrPq7sUeDf4GhJiOkLmNo",
                 Side::server, TcpHint::unknown, std::nullopt},
        LineCase{"Connection from 198.51.100.2 port 33056 on 203.0.113.2 port 22 rdomain \"\"", Side::server,
                 TcpHint::unknown, std::nullopt},
        LineCase{"Starting session: command for root from 198.51.100.2 port 33056 id 0", Side::server,
                 TcpHint::unknown, std::nullopt},
        LineCase{"deadpeer-ready", Side::client, TcpHint::unknown, std::nullopt},
        LineCase{"", Side::client, TcpHint::unknown, std::nullopt}));

// Dropbear says "Keepalive timeout" at both ends: what it means depends on which end said it.
INSTANTIATE_TEST_SUITE_P(
    Dropbear, ClassifyLine,
    ::testing::Values(
        LineCase{"dbclient: Connection to root@203.0.113.2:22 exited: Keepalive timeout", Side::client,
                 TcpHint::unknown, Cause::serveralive},
        LineCase{"Exit (root) from <198.51.100.2:33056>: Keepalive timeout", Side::server, TcpHint::unknown,
                 Cause::clientalive},
        LineCase{"Keepalive timeout", Side::client, TcpHint::idle, Cause::serveralive},
        LineCase{"Keepalive timeout", Side::server, TcpHint::idle, Cause::clientalive},
        LineCase{"Exit (root) from <198.51.100.2:33056>: No response to keepalives", Side::server, TcpHint::unknown,
                 Cause::clientalive},
        LineCase{"Exit (root) from <198.51.100.2:33056>: Error reading: Connection reset by peer", Side::server,
                 TcpHint::unknown, Cause::reset}));

// ---- classify_client_exit -------------------------------------------------------------------

TEST(ClassifyClientExit, LastClassifyingLineWins) {
  const std::vector<std::string> lines = {
      "Authenticated to 203.0.113.2 ([203.0.113.2]:22) using \"publickey\".",
      "Read from remote host 203.0.113.2: Connection reset by peer",
      "Connection to 203.0.113.2 closed by remote host.",
  };
  EXPECT_EQ(to_string(CauseClassifier::classify_client_exit(lines, 255, TcpHint::unknown)), "eof");

  const std::vector<std::string> reversed = {
      "Connection to 203.0.113.2 closed by remote host.",
      "Read from remote host 203.0.113.2: Connection reset by peer",
  };
  EXPECT_EQ(to_string(CauseClassifier::classify_client_exit(reversed, 255, TcpHint::unknown)), "reset");
}

TEST(ClassifyClientExit, TrailingNonClassifyingLinesAreSkipped) {
  const std::vector<std::string> lines = {
      "Timeout, server 203.0.113.2 not responding.",
      "Transferred: sent 2464, received 2508 bytes, in 12.1 seconds",
      "",
  };
  EXPECT_EQ(to_string(CauseClassifier::classify_client_exit(lines, 255, TcpHint::unknown)), "serveralive");
}

TEST(ClassifyClientExit, HintReachesTimedOutLines) {
  const std::vector<std::string> lines = {"Read from remote host 203.0.113.2: Connection timed out"};
  EXPECT_EQ(to_string(CauseClassifier::classify_client_exit(lines, 255, TcpHint::idle)), "tcp-keepalive");
  EXPECT_EQ(to_string(CauseClassifier::classify_client_exit(lines, 255, TcpHint::data_in_flight)), "tcp-retransmit");
}

TEST(ClassifyClientExit, NoLinesFallsBackToExitStatus) {
  EXPECT_EQ(to_string(CauseClassifier::classify_client_exit({}, 255, TcpHint::unknown)), "other");
  EXPECT_EQ(to_string(CauseClassifier::classify_client_exit({}, 0, TcpHint::unknown)), "eof");
  // Only chatter, no cause: still the exit status decides.
  const std::vector<std::string> chatter = {"Authenticated to 203.0.113.2 ([203.0.113.2]:22) using \"publickey\"."};
  EXPECT_EQ(to_string(CauseClassifier::classify_client_exit(chatter, 255, TcpHint::idle)), "other");
  EXPECT_EQ(to_string(CauseClassifier::classify_client_exit(chatter, 0, TcpHint::idle)), "eof");
}

// ---- Cause spelling: part of the results format ----------------------------------------------

TEST(CauseSpelling, RoundTripsEveryCause) {
  const std::vector<std::pair<Cause, std::string>> all = {
      {Cause::serveralive, "serveralive"},       {Cause::clientalive, "clientalive"},
      {Cause::tcp_keepalive, "tcp-keepalive"},   {Cause::tcp_retransmit, "tcp-retransmit"},
      {Cause::reset, "reset"},                   {Cause::eof, "eof"},
      {Cause::mac_error, "mac-error"},           {Cause::other, "other"},
      {Cause::none, "none"},
  };
  for (const auto& [cause, text] : all) {
    EXPECT_EQ(to_string(cause), text);
    ASSERT_TRUE(cause_from_string(text).has_value()) << text;
    EXPECT_EQ(*cause_from_string(text), cause) << text;
  }
  EXPECT_FALSE(cause_from_string("tcp_keepalive").has_value());
  EXPECT_FALSE(cause_from_string("").has_value());
}

}  // namespace
}  // namespace deadpeer::observe
