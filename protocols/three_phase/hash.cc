// Three-phase commit, hashing: the 64-bit hashes the model checker fingerprints worlds with
// (sim/protocol.h, CheckableProtocol; sim/check/world.h). Sources: see three_phase.h.
//
// Invariant: each hash covers exactly the fields the type's operator== compares, in
// declaration order, with every container's length first; so equal values hash alike, and the
// sorted-vector invariant of state.h makes equal states equal element for element.
#include "sim/check/hash.h"

#include <variant>

#include "protocols/three_phase/messages.h"
#include "protocols/three_phase/state.h"
#include "protocols/three_phase/three_phase.h"

namespace txsim::three_phase {
namespace {

using check::Hasher;

void add_durable(Hasher& h, const Durable& d) {
  h.add(d.coord_log.size());
  for (const CoordRecord& r : d.coord_log) {
    h.add(r.tx);
    h.add(static_cast<std::uint64_t>(r.status));
  }
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
  h.add(v.rounds.size());
  for (const Round& r : v.rounds) {
    h.add(r.tx);
    h.add(static_cast<std::uint64_t>(r.phase));
    h.add(r.answered);
  }
  h.add(v.follows.size());
  for (const Follow& f : v.follows) {
    h.add(f.tx);
    h.add(f.leader);
    h.add(f.suspected);
    h.add(static_cast<std::uint64_t>(f.lead));
    h.add(f.waiting);
    h.add(f.uncertain);
    h.add(f.precommit_seen ? 1 : 0);
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
  if (const auto* r = std::get_if<StateReply>(&msg)) h.add(static_cast<std::uint64_t>(r->state));
  return h.finish();
}

}  // namespace txsim::three_phase

namespace txsim {
static_assert(CheckableProtocol<ThreePhase>);
}  // namespace txsim
