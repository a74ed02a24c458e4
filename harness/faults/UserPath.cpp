#include "faults/UserPath.hpp"

#include <pthread.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "faults/NftCounters.hpp"
#include "lab/Lab.hpp"
#include "lab/Sysctl.hpp"
#include "sys/Log.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::faults {
namespace {

using namespace std::chrono_literals;

// GSO packets seen by the sniffers can be up to 64 KiB; tap frames are wire-sized.
constexpr std::size_t kFrameBuffer = 65536 + 64;
// Frames read per fd per loop turn, so that one busy way cannot delay due releases much.
constexpr int kBatch = 64;
// How long remove() waits for the relay thread to flush: it holds at most 2×limit packets,
// written in microseconds each, so this only expires if the thread is stuck.
constexpr auto kFlushTimeout = 5s;

enum Tag : std::uint64_t { tag_wake, tag_timer, tag_tap_c, tag_tap_s, tag_sniff_rc, tag_sniff_rs };

sys::UniqueFd make_fd(int fd, const std::string& what) {
  if (fd < 0) sys::throw_errno(what);
  return sys::UniqueFd(fd);
}

void watch(int epoll, int fd, Tag tag, const std::string& what) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = tag;
  sys::check(::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &ev), "epoll_ctl add " + what);
}

std::size_t way_index(Direction way) { return way == Direction::to_client ? 1 : 0; }

}  // namespace

UserPath::UserPath(lab::Lab& lab, Stages stages, std::size_t limit_per_way)
    : lab_(lab),
      router_ns_(lab.router().ns().name()),
      nft_(netlink::NftContext::open_in(lab.router().ns())),
      tap_from_client_(TapDevice::create(lab.router().ns(), kTapFromClient)),
      tap_from_server_(TapDevice::create(lab.router().ns(), kTapFromServer)),
      stages_(std::move(stages)),
      queue_(limit_per_way),
      epoll_(make_fd(::epoll_create1(EPOLL_CLOEXEC), "epoll_create1 for the relay of " + router_ns_)),
      wake_(make_fd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), "eventfd for the relay of " + router_ns_)),
      timer_(make_fd(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC),
                     "timerfd for the relay of " + router_ns_)) {
  // Strict reverse-path filtering would drop every relayed packet: its source is reached
  // through rc or rs, not through the tap it arrives on. The effective value is the maximum of
  // `all` and the device's, so a strict `all` cannot be overridden here.
  const auto& ns = lab.router().ns();
  if (lab::Sysctl::read(ns, "net.ipv4.conf.all.rp_filter") == "1")
    throw sys::Error("arm user-space path in " + router_ns_ +
                     ": net.ipv4.conf.all.rp_filter = 1 (strict) would drop every relayed packet");
  for (const char* tap : {kTapFromClient, kTapFromServer})
    lab::Sysctl::write(ns, std::string("net.ipv4.conf.") + tap + ".rp_filter", "0");

  if (std::any_of(stages_.begin(), stages_.end(), [](const auto& s) { return s->watches_from_arm(); })) {
    sniff_rc_.emplace(PacketSocket::open(ns, lab::Ifnames::router_to_client));
    sniff_rs_.emplace(PacketSocket::open(ns, lab::Ifnames::router_to_server));
    watch(epoll_.get(), sniff_rc_->fd(), tag_sniff_rc, "sniffer rc");
    watch(epoll_.get(), sniff_rs_->fd(), tag_sniff_rs, "sniffer rs");
  }
  watch(epoll_.get(), wake_.get(), tag_wake, "eventfd");
  watch(epoll_.get(), timer_.get(), tag_timer, "timerfd");
  watch(epoll_.get(), tap_from_client_.fd(), tag_tap_c, "tap " + std::string(kTapFromClient));
  watch(epoll_.get(), tap_from_server_.fd(), tag_tap_s, "tap " + std::string(kTapFromServer));
  thread_ = std::thread([this] { run(); });
  sys::log("faults").debug("user-space path armed in {} ({} stages{})", router_ns_, stages_.size(),
                           sniff_rc_ ? ", watching rc and rs" : "");
}

UserPath::~UserPath() {
  if (applied_) {
    try {
      remove();
    } catch (const std::exception& e) {
      sys::log("faults").error("remove user-space path in {} on teardown: {}", router_ns_, e.what());
    }
  }
  // remove() failed before its commit: the table must not outlive the taps it forwards to.
  if (diverting_) {
    try {
      nft_.run(std::string("delete table netdev ") + kTable, "delete the user-space path table on teardown");
    } catch (const std::exception& e) {
      sys::log("faults").error("{}", e.what());
    }
  }
  {
    std::lock_guard lock(mutex_);
    command_ = Command::stop;
  }
  const std::uint64_t one = 1;
  if (::write(wake_.get(), &one, sizeof one) < 0)
    sys::log("faults").error("wake the relay thread of {} to stop it: {}", router_ns_, std::strerror(errno));
  if (thread_.joinable()) thread_.join();
  sys::log("faults").debug("user-space path in {} disarmed", router_ns_);
}

void UserPath::apply() {
  const std::string t = std::string("netdev ") + kTable;
  auto divert = [&](const char* chain, const char* from, const char* tap) {
    // Priority -500: ahead of any other netdev ingress chain, so the relay sees what arrived.
    // Unicast IPv4 only: ARP (and broadcasts) stay with the kernel, so neighbours resolve as usual.
    return "add chain " + t + " " + chain + " { type filter hook ingress device \"" + from + "\" priority -500; }\n" +
           "add rule " + t + " " + chain + " meta protocol ip meta pkttype host counter fwd to \"" + tap + "\"\n";
  };
  const std::string commands = "add table " + t + "\n" +
                               divert("from_client", lab::Ifnames::router_to_client, kTapFromClient) +
                               divert("from_server", lab::Ifnames::router_to_server, kTapFromServer);
  // Judge from the first diverted packet on: set before the commit, since packets arrive
  // through the taps only once the table exists.
  applied_ = true;
  try {
    // On a thread inside the router: libnftables turns `fwd to "rc-relay"` into an ifindex in
    // user space, in the namespace of the calling thread.
    lab_.router().ns().run([&] { nft_.run(commands, "divert rc and rs to the user-space path in " + router_ns_); });
    diverting_ = true;
  } catch (...) {
    applied_ = false;
    throw;
  }
}

void UserPath::remove() {
  nft_.run(std::string("delete table netdev ") + kTable, "stop diverting to the user-space path in " + router_ns_);
  diverting_ = false;
  applied_ = false;
  std::unique_lock lock(mutex_);
  command_ = Command::flush;
  command_done_ = false;
  const std::uint64_t one = 1;
  if (::write(wake_.get(), &one, sizeof one) < 0) sys::throw_errno("wake the relay thread of " + router_ns_);
  if (!done_cv_.wait_for(lock, kFlushTimeout, [this] { return command_done_; }))
    throw sys::Error("remove user-space path in " + router_ns_ + ": the relay thread did not flush within 5 s");
}

long UserPath::diverted_packets() {
  if (!applied_) return 0;
  return NftCounters::read(nft_, "netdev", kTable).packets;
}

std::map<std::string, long> UserPath::counters() const {
  std::map<std::string, long> out = {{"relayed_packets", relayed_.load()},
                                     {"flushed_packets", flushed_.load()},
                                     {"inject_errors", inject_errors_.load()},
                                     {"max_queue", queue_.max_size()},
                                     {"queue_overflow_drops", queue_.overflow_drops()},
                                     {"reordered_packets", queue_.reordered()},
                                     {"release_late_max_us", late_max_us_.load()},
                                     {"released_over_1ms_late", late_over_1ms_.load()}};
  for (const auto& s : stages_)
    for (const auto& [k, v] : s->counters()) out[k] += v;
  return out;
}

// ---- relay thread -------------------------------------------------------------------------

void UserPath::inject(Packet& p) {
  TapDevice& tap = p.way == Direction::to_server ? tap_from_client_ : tap_from_server_;
  // The kernel accepts the frame as addressed to the tap itself (PACKET_HOST) only with the
  // tap's own MAC as destination; it came addressed to rc's or rs's.
  std::memcpy(p.frame.data(), tap.mac().data(), 6);
  try {
    tap.write(p.frame);
  } catch (const std::exception& e) {
    // A frame the kernel refuses is lost like on a bad link; the relay goes on.
    if (inject_errors_.fetch_add(1) < 5) sys::log("faults").error("{}", e.what());
  }
}

int UserPath::handle_tap(TapDevice& tap, Direction way) {
  int i = 0;
  for (; i < kBatch; ++i) {
    const std::size_t n = tap.read(rx_buffer_);
    if (n == 0) break;
    Packet p;
    p.frame.assign(rx_buffer_.begin(), rx_buffer_.begin() + static_cast<long>(n));  // exact size: it may wait long
    if (!FrameView::parse(p.frame).ipv4) continue;  // only IPv4 is diverted; ignore the rest
    p.way = way;
    p.arrived = p.send_at = sys::Clock::now();
    p.serial = ++serial_[way_index(way)];
    if (!applied_) {  // diverted just before remove's commit: leaves at once
      inject(p);
      flushed_.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    if (queue_.admit(way)) chain_.run(std::move(p));
  }
  return i;
}

void UserPath::handle_sniffer(PacketSocket& s, Direction way) {
  for (int i = 0; i < kBatch; ++i) {
    const std::size_t n = s.receive(rx_buffer_, nullptr, 0);
    if (n == 0) return;
    const FrameView f = FrameView::parse({rx_buffer_.data(), n});
    if (!f.ipv4) continue;
    for (auto& stage : stages_)
      if (stage->watches_from_arm()) stage->observe(f, way);
  }
}

void UserPath::release_due() {
  const auto now = sys::Clock::now();
  while (auto p = queue_.pop(now)) {
    inject(*p);
    relayed_.fetch_add(1, std::memory_order_relaxed);
    note_lateness(now - p->send_at);
  }
}

// How late the relay itself released: the one error of this path that the kernel's stamps on
// the far side cannot tell from the network's, so a run can say whether its delay was honest
// (a relay starved by the machine — a hypervisor's steal, an RT thread above it — shows here).
void UserPath::note_lateness(sys::Clock::duration late) {
  const long us = std::chrono::duration_cast<std::chrono::microseconds>(late).count();
  if (us > late_max_us_.load(std::memory_order_relaxed)) late_max_us_.store(us, std::memory_order_relaxed);
  if (us > 1000) late_over_1ms_.fetch_add(1, std::memory_order_relaxed);
}

void UserPath::flush() {
  while (auto p = queue_.pop(std::nullopt)) {
    inject(*p);
    flushed_.fetch_add(1, std::memory_order_relaxed);
  }
  // Frames diverted before the commit may still wait in the taps: they leave now too.
  while (handle_tap(tap_from_client_, Direction::to_server) + handle_tap(tap_from_server_, Direction::to_client) > 0) {
  }
}

void UserPath::arm_timer() {
  itimerspec its{};  // all zero: disarmed
  if (const auto due = queue_.next_due()) {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(due->time_since_epoch()).count();
    // An absolute time of 0 would disarm: a packet due "at the epoch" is simply due now.
    its.it_value.tv_sec = ns / 1000000000;
    its.it_value.tv_nsec = std::max<long>(1, ns % 1000000000);
  }
  sys::check(::timerfd_settime(timer_.get(), TFD_TIMER_ABSTIME, &its, nullptr), "timerfd_settime for the relay");
}

void UserPath::run() {
  // The kernel forwards in softirq context, ahead of every process; a relay scheduled like the
  // compilers and sshds around it would release late by whole time slices under load (seen
  // here: p99 +4 ms at load 10 on 2 cores). A low real-time priority keeps its wake-ups within
  // tens of microseconds; it blocks in epoll_wait between packets, and the kernel's RT
  // throttling bounds it even under a flood. Without CAP_SYS_NICE it runs as it is.
  sched_param sp{};
  sp.sched_priority = 10;
  if (int err = ::pthread_setschedparam(::pthread_self(), SCHED_FIFO, &sp); err != 0)
    sys::log("faults").warn("relay of {}: SCHED_FIFO refused ({}), timing may suffer under load", router_ns_,
                            std::strerror(err));
  rx_buffer_.resize(kFrameBuffer);
  epoll_event events[8];
  int consecutive_errors = 0;
  for (;;) {
    try {
      release_due();
      arm_timer();
      const int n = ::epoll_wait(epoll_.get(), events, 8, -1);
      if (n < 0 && errno != EINTR) sys::throw_errno("epoll_wait in the relay of " + router_ns_);
      // Sniffers first: a stage must have learnt a frame before it judges the next one.
      for (int i = 0; i < n; ++i) {
        if (events[i].data.u64 == tag_sniff_rc) handle_sniffer(*sniff_rc_, Direction::to_server);
        if (events[i].data.u64 == tag_sniff_rs) handle_sniffer(*sniff_rs_, Direction::to_client);
      }
      for (int i = 0; i < n; ++i) {
        if (events[i].data.u64 == tag_tap_c) handle_tap(tap_from_client_, Direction::to_server);
        if (events[i].data.u64 == tag_tap_s) handle_tap(tap_from_server_, Direction::to_client);
        if (events[i].data.u64 == tag_timer) {
          std::uint64_t expirations;
          [[maybe_unused]] auto r = ::read(timer_.get(), &expirations, sizeof expirations);
        }
      }
      for (int i = 0; i < n; ++i) {
        if (events[i].data.u64 != tag_wake) continue;
        std::uint64_t count;
        [[maybe_unused]] auto r = ::read(wake_.get(), &count, sizeof count);
        std::lock_guard lock(mutex_);
        if (command_ == Command::stop) return;
        if (command_ == Command::flush) {
          flush();
          command_ = Command::none;
          command_done_ = true;
          done_cv_.notify_all();
        }
      }
      consecutive_errors = 0;
    } catch (const std::exception& e) {
      // Keep relaying: a stuck relay would turn a delay fault into a blackhole. Only an error
      // that repeats without end (a broken epoll fd) stops the thread; remove() then says so.
      sys::log("faults").error("relay of {}: {}", router_ns_, e.what());
      if (++consecutive_errors > 1000) return;
    }
  }
}

}  // namespace deadpeer::faults
