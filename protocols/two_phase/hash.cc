// Two-phase commit, hashing: the 64-bit hashes the model checker fingerprints worlds with
// (sim/protocol.h, CheckableProtocol; sim/check/world.h). Sources: see two_phase.h.
//
// Invariant: each hash covers exactly the fields the type's operator== compares, in
// declaration order, with every container's length first; so equal values hash alike, and the
// sorted-vector invariant of state.h makes equal states equal element for element.
#include "sim/check/hash.h"

#include <variant>

#include "protocols/two_phase/messages.h"
#include "protocols/two_phase/state.h"
#include "protocols/two_phase/two_phase.h"

namespace txsim::two_phase {
namespace {

using check::Hasher;

void add_nodes(Hasher& h, const std::vector<NodeId>& nodes) {
  h.add(nodes.size());
  for (NodeId n : nodes) h.add(n);
}

void add_durable(Hasher& h, const Durable& d) {
  h.add(d.commit_log.size());
  for (TxId tx : d.commit_log) h.add(tx);
  h.add(d.log.size());
  for (const LogRecord& r : d.log) {
    h.add(r.tx);
    h.add(static_cast<std::uint64_t>(r.status));
    h.add(r.voted_yes ? 1 : 0);
  }
  h.add(d.balances.size());
  for (const Balance& b : d.balances) {
    h.add(b.account);
    h.add(static_cast<std::uint64_t>(b.amount));
  }
}

void add_volatile(Hasher& h, const Volatile& v) {
  h.add(v.collecting.size());
  for (const Collecting& c : v.collecting) {
    h.add(c.tx);
    add_nodes(h, c.yes);
  }
  h.add(v.acking.size());
  for (const Acking& a : v.acking) {
    h.add(a.tx);
    add_nodes(h, a.acked);
  }
  h.add(v.locks.size());
  for (const Lock& l : v.locks) {
    h.add(l.account);
    h.add(l.tx);
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
  if (const auto* v = std::get_if<Vote>(&msg)) h.add(v->yes ? 1 : 0);
  if (const auto* r = std::get_if<PeerReply>(&msg)) h.add(static_cast<std::uint64_t>(r->outcome));
  return h.finish();
}

}  // namespace txsim::two_phase

namespace txsim {
static_assert(CheckableProtocol<TwoPhase>);
}  // namespace txsim
