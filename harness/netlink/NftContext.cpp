#include "netlink/NftContext.hpp"

#include <nftables/libnftables.h>

#include "sys/Log.hpp"
#include "sys/Netns.hpp"
#include "sys/SystemError.hpp"

namespace deadpeer::netlink {

void NftContext::Deleter::operator()(nft_ctx* c) const { nft_ctx_free(c); }

NftContext NftContext::open_in(const sys::Netns& ns) {
  std::unique_ptr<nft_ctx, Deleter> ctx;
  // nft_ctx_new opens its netlink socket immediately, so the context stays bound to the
  // namespace of the thread that created it (tests/integration/lab_test checks this).
  ns.run([&] {
    ctx.reset(nft_ctx_new(NFT_CTX_DEFAULT));
    if (!ctx) throw sys::Error("nft_ctx_new in netns " + ns.name() + " failed");
  });
  nft_ctx_buffer_error(ctx.get());
  nft_ctx_buffer_output(ctx.get());
  return NftContext(std::move(ctx), ns.name());
}

NftContext::~NftContext() = default;

void NftContext::run(const std::string& commands, const std::string& what) {
  if (nft_run_cmd_from_buffer(ctx_.get(), commands.c_str()) != 0) {
    std::string err = nft_ctx_get_error_buffer(ctx_.get());
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
    throw sys::Error(what + " (nftables, netns " + ns_name_ + "): " + err);
  }
  sys::log("netlink").debug("nft {} in {}", what, ns_name_);
}

std::string NftContext::query(const std::string& command, bool json) {
  unsigned flags = nft_ctx_output_get_flags(ctx_.get());
  nft_ctx_output_set_flags(ctx_.get(), json ? (flags | NFT_CTX_OUTPUT_JSON) : (flags & ~NFT_CTX_OUTPUT_JSON));
  int rc = nft_run_cmd_from_buffer(ctx_.get(), command.c_str());
  nft_ctx_output_set_flags(ctx_.get(), flags);
  if (rc != 0) throw sys::Error(command + " (nftables, netns " + ns_name_ + "): " + nft_ctx_get_error_buffer(ctx_.get()));
  return nft_ctx_get_output_buffer(ctx_.get());
}

}  // namespace deadpeer::netlink
