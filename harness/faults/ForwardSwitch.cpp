#include "faults/ForwardSwitch.hpp"

#include <atomic>

#include "sys/Log.hpp"
#include "sys/Netns.hpp"

namespace deadpeer::faults {
namespace {
std::atomic<unsigned> next_table{0};
}

ForwardSwitch::ForwardSwitch(const sys::Netns& router, const std::string& table_prefix,
                             const std::vector<std::string>& rules, std::string what)
    : nft_(netlink::NftContext::open_in(router)),
      table_(table_prefix + std::to_string(next_table.fetch_add(1))),
      what_(std::move(what)) {
  // Priority -10 runs before any filter chain another fault adds at 0.
  std::string batch = "add table inet " + table_ + "\n" +                                           //
                      "add chain inet " + table_ + " " + kBaseChain +                                //
                      " { type filter hook forward priority -10; policy accept; }\n" +              //
                      "add chain inet " + table_ + " " + kActChain + "\n";
  for (const auto& r : rules) batch += "add rule inet " + table_ + " " + kActChain + " " + r + "\n";
  nft_.run(batch, "arm " + what_ + ": table inet " + table_);
}

ForwardSwitch::~ForwardSwitch() {
  try {
    nft_.run("delete table inet " + table_, "disarm " + what_ + ": table inet " + table_);
  } catch (const std::exception& e) {
    sys::log("faults").error("{}", e.what());
  }
}

void ForwardSwitch::on() {
  nft_.run("add rule inet " + table_ + " " + kBaseChain + " jump " + kActChain,
           "apply " + what_ + ": table inet " + table_);
}

void ForwardSwitch::off() {
  nft_.run("flush chain inet " + table_ + " " + kBaseChain, "remove " + what_ + ": table inet " + table_);
}

NftCounters ForwardSwitch::counters() { return NftCounters::read(nft_, "inet", table_); }

}  // namespace deadpeer::faults
