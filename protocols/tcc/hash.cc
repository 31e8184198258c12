// TCC, hashing: the 64-bit hashes the model checker fingerprints worlds with (sim/protocol.h,
// CheckableProtocol; sim/check/world.h). Sources: see tcc.h.
//
// Invariant: each hash covers exactly the fields the type's operator== compares, in declaration
// order, with every container's length first; so equal values hash alike.
#include "sim/check/hash.h"

#include <variant>

#include "protocols/tcc/messages.h"
#include "protocols/tcc/state.h"
#include "protocols/tcc/tcc.h"

namespace txsim::tcc {
namespace {

using check::Hasher;

void add_durable(Hasher& h, const Durable& d) {
  h.add(d.global.size());
  for (const GlobalTx& g : d.global) h.add((std::uint64_t(g.tx) << 8) | std::uint64_t(g.status));
  h.add(d.barriers.size());
  for (const Barrier& b : d.barriers) {
    h.add((std::uint64_t(b.tx) << 8) | (b.tried ? 1u : 0u) | (b.confirmed ? 2u : 0u) |
          (b.cancelled ? 4u : 0u) | (b.null_cancelled ? 8u : 0u));
  }
  h.add(d.wallets.size());
  for (const Wallet& w : d.wallets) {
    h.add(w.account);
    h.add(static_cast<std::uint64_t>(w.balance));
    h.add(static_cast<std::uint64_t>(w.frozen));
    h.add(static_cast<std::uint64_t>(w.pending));
  }
}

void add_volatile(Hasher& h, const Volatile& v) {
  h.add(v.trying.size());
  for (const Trying& t : v.trying) {
    h.add(t.tx);
    h.add(t.ok.size());
    for (NodeId n : t.ok) h.add(n);
  }
  h.add(v.finishing.size());
  for (const Finishing& f : v.finishing) {
    h.add(f.tx);
    h.add(f.waiting.size());
    for (const Outstanding& o : f.waiting) h.add((std::uint64_t(o.branch) << 8) | o.doublings);
  }
}

}  // namespace

std::uint64_t hash(const Durable& durable) {
  Hasher h;
  add_durable(h, durable);
  return h.finish();
}

std::uint64_t hash(const State& state) {
  Hasher h;
  h.add(state.node);
  add_durable(h, state.durable);
  add_volatile(h, state.vol);
  return h.finish();
}

std::uint64_t hash(const Msg& msg) {
  Hasher h;
  h.add(msg.index());
  h.add(tx_of(msg));
  h.add(static_cast<std::uint64_t>(status_of(msg)));
  return h.finish();
}

}  // namespace txsim::tcc

namespace txsim {
static_assert(CheckableProtocol<Tcc>);
}  // namespace txsim
