// Saga, hashing: the 64-bit hashes the model checker fingerprints worlds with (sim/protocol.h,
// CheckableProtocol). Sources: see saga.h.
//
// Invariant: each hash covers exactly the fields the type's operator== compares, in declaration
// order, with every container's length first; so equal values hash alike.
#include "sim/check/hash.h"

#include "protocols/saga/messages.h"
#include "protocols/saga/saga.h"
#include "protocols/saga/state.h"

namespace txsim::saga {
namespace {

using check::Hasher;

void add_durable(Hasher& h, const Durable& d) {
  h.add(d.logs.size());
  for (const SagaLog& l : d.logs) {
    h.add((std::uint64_t(l.tx) << 8) | std::uint64_t(l.status));
    h.add(l.steps.size());
    for (const StepLog& st : l.steps) h.add((std::uint64_t(st.state) << 8) | st.failures);
  }
  h.add(d.records.size());
  for (const StepRecord& r : d.records) {
    h.add(r.key);
    h.add(std::uint64_t(r.applied) | (std::uint64_t(r.compensated) << 8) |
          (std::uint64_t(r.attempts) << 16) | (std::uint64_t(r.undo_attempts) << 24) |
          (std::uint64_t(r.failed) << 32) | (std::uint64_t(r.cancelled) << 33) |
          (std::uint64_t(r.status_seen) << 40));
    h.add(r.before.size());
    for (std::int64_t b : r.before) h.add(static_cast<std::uint64_t>(b));
  }
  h.add(d.wallets.size());
  for (const Wallet& w : d.wallets) {
    h.add(w.account);
    h.add(static_cast<std::uint64_t>(w.balance));
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
  h.add(state.vol.notifying.size());
  for (const Notifying& n : state.vol.notifying) {
    h.add(n.tx);
    h.add(n.waiting.size());
    for (NodeId w : n.waiting) h.add(w);
  }
  return h.finish();
}

std::uint64_t hash(const Msg& msg) {
  Hasher h;
  h.add(msg.index());
  h.add(tx_of(msg));
  h.add((std::uint64_t(status_of(msg)) << 32) | (std::uint64_t(step_of(msg)) << 1) |
        (ok_of(msg) ? 1u : 0u));
  return h.finish();
}

}  // namespace txsim::saga

namespace txsim {
static_assert(CheckableProtocol<Saga>);
}  // namespace txsim
