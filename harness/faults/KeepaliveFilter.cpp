#include "faults/KeepaliveFilter.hpp"

namespace deadpeer::faults {
namespace {

// Sequence numbers wrap: a is after b when the signed distance is positive (RFC 1982).
bool serial_after(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) > 0; }

void raise(std::optional<std::uint32_t>& v, std::uint32_t to) {
  if (!v || serial_after(to, *v)) v = to;
}

}  // namespace

bool KeepaliveFilter::is_probe(const FrameView& f) const {
  if (!f.tcp || !f.has(tcpflag::ack) || f.has(tcpflag::syn) || f.has(tcpflag::fin) || f.has(tcpflag::rst)) return false;
  if (f.payload_len > 1) return false;
  auto it = senders_.find(key_of(f));
  if (it == senders_.end() || !it->second.next || f.seq != *it->second.next - 1) return false;
  // One byte at next - 1 is a probe only if the peer already has it; otherwise it is the
  // retransmission of a lost one-byte segment.
  return f.payload_len == 0 || it->second.acked == it->second.next;
}

void KeepaliveFilter::learn(const FrameView& f) {
  if (!f.tcp) return;
  Sender& s = senders_[key_of(f)];
  const std::uint32_t end = f.seq + static_cast<std::uint32_t>(f.payload_len) + (f.has(tcpflag::syn) ? 1 : 0) +
                            (f.has(tcpflag::fin) ? 1 : 0);
  // A SYN starts a new sequence space (a reused port): forget the old one. A RST uses no
  // sequence space and may carry any seq: learn nothing from it.
  if (f.has(tcpflag::syn)) s = Sender{end, std::nullopt};
  else if (!f.has(tcpflag::rst)) raise(s.next, end);
  if (f.has(tcpflag::ack) && !f.has(tcpflag::rst)) {
    Sender& peer = senders_[{f.ip_dst, f.dport, f.ip_src, f.sport}];
    raise(peer.acked, f.ack);
    raise(peer.next, f.ack);  // the receiver acknowledges only what the sender sent
  }
}

void KeepaliveFilter::on_packet(Packet&& p, Emit& emit) {
  const FrameView f = FrameView::parse(p.frame);
  if (is_probe(f)) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  learn(f);
  emit(std::move(p));
}

}  // namespace deadpeer::faults
