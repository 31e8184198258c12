// Paxos Commit, hashing: the 64-bit hashes the model checker fingerprints worlds with
// (sim/protocol.h, CheckableProtocol; sim/check/world.h). Sources: see paxos_commit.h.
//
// Invariant: each hash covers exactly the fields the type's operator== compares, in
// declaration order, with every container's length first (Hasher::add_range); so equal values
// hash alike, and the sorted-vector invariant of state.h makes equal states equal element for
// element.
#include "sim/check/hash.h"

#include <variant>

#include "protocols/paxos_commit/messages.h"
#include "protocols/paxos_commit/paxos_commit.h"
#include "protocols/paxos_commit/state.h"

namespace txsim::paxos_commit {

using check::Hasher;

// hash_append overloads: found by argument-dependent lookup from Hasher::add_value.
void hash_append(Hasher& h, const Accepted& a) {
  h.add(a.bal);
  h.add_value(a.val);
}
void hash_append(Hasher& h, const RmRecord& r) {
  h.add(r.tx);
  h.add_value(r.status);
  h.add_value(r.voted_yes);
}
void hash_append(Hasher& h, const Balance& b) {
  h.add(b.account);
  h.add(static_cast<std::uint64_t>(b.amount));
}
void hash_append(Hasher& h, const AcceptorRecord& r) {
  h.add(r.tx);
  h.add(r.promised);
  h.add_range(r.accepted);
}
void hash_append(Hasher& h, const LeaderRecord& r) {
  h.add(r.tx);
  h.add(r.round);
  h.add_value(r.decision);
}
void hash_append(Hasher& h, const Lock& l) {
  h.add(l.account);
  h.add(l.tx);
}
void hash_append(Hasher& h, const Learn& c) {
  h.add(c.bal);
  h.add(c.acceptors);
  h.add_value(c.val);
}
void hash_append(Hasher& h, const Leading& l) {
  h.add(l.tx);
  h.add_value(l.stage);
  h.add(l.ballot);
  h.add(l.promised);
  h.add_range(l.best);
  h.add_range(l.learn);
  h.add_range(l.chosen);
}

namespace {

void add_durable(Hasher& h, const Durable& d) {
  h.add_range(d.log);
  h.add_range(d.balances);
  h.add_range(d.acceptor);
  h.add_range(d.leader);
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
  h.add_range(state.vol.locks);
  h.add_range(state.vol.leading);
  return h.finish();
}

std::uint64_t hash(const Msg& msg) {
  Hasher h;
  h.add(msg.index());
  h.add(tx_of(msg));
  if (const auto* m = std::get_if<Phase1a>(&msg)) h.add(m->ballot);
  if (const auto* m = std::get_if<Phase1b>(&msg)) {
    h.add(m->ballot);
    h.add_range(m->accepted);
  }
  if (const auto* m = std::get_if<Phase2a>(&msg)) {
    h.add(m->ballot);
    h.add_range(m->values);
  }
  if (const auto* m = std::get_if<Phase2b>(&msg)) {
    h.add(m->ballot);
    h.add_range(m->values);
  }
  return h.finish();
}

}  // namespace txsim::paxos_commit

namespace txsim {
static_assert(CheckableProtocol<PaxosCommit>);
}  // namespace txsim
