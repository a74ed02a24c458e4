#include "faults/Blackhole.hpp"

#include <nlohmann/json.hpp>

#include "sys/Log.hpp"
#include "sys/Netns.hpp"

namespace deadpeer::faults {

Blackhole::Blackhole(const sys::Netns& router) : nft_(netlink::NftContext::open_in(router)) {
  // Priority -10 runs before any filter chain a later fault adds at 0.
  nft_.run(std::string("add table inet ") + kTable + "\n" +
               "add chain inet " + kTable + " forward { type filter hook forward priority -10; policy accept; }\n" +
               "add rule inet " + kTable + " forward counter drop\n",
           "apply blackhole");
  applied_at_ = sys::Clock::now();
  sys::log("faults").debug("blackhole applied in {}", router.name());
}

Blackhole::~Blackhole() {
  try {
    nft_.run(std::string("delete table inet ") + kTable, "remove blackhole");
  } catch (const std::exception& e) {
    sys::log("faults").error("{}", e.what());
  }
}

std::map<std::string, long> Blackhole::counters() {
  auto doc = nlohmann::json::parse(nft_.query(std::string("list table inet ") + kTable));
  for (const auto& item : doc.at("nftables"))
    if (item.contains("rule"))
      for (const auto& expr : item["rule"].at("expr"))
        if (expr.contains("counter"))
          return {{"dropped_packets", expr["counter"].at("packets").get<long>()},
                  {"dropped_bytes", expr["counter"].at("bytes").get<long>()}};
  return {};
}

}  // namespace deadpeer::faults
