// Choreography, hashing: the 64-bit hashes the model checker fingerprints worlds with
// (sim/protocol.h, CheckableProtocol). Sources: see choreography.h.
//
// Invariant: each hash covers exactly the fields the type's operator== compares, in declaration
// order, with every container's length first; so equal values hash alike.
#include "sim/check/hash.h"

#include "protocols/saga_choreography/choreography.h"

namespace txsim::choreo {
namespace {

using check::Hasher;

void add_durable(Hasher& h, const Durable& d) {
  h.add(d.views.size());
  for (const View& v : d.views) {
    h.add((std::uint64_t(v.tx) << 2) | (std::uint64_t(v.begun) << 1) | std::uint64_t(v.finished));
    h.add((std::uint64_t(v.done) << 32) | v.failed);
    h.add(v.compensated);
  }
  h.add(d.records.size());
  for (const StepRecord& r : d.records) {
    h.add(r.key);
    h.add(std::uint64_t(r.applied) | (std::uint64_t(r.compensated) << 8) |
          (std::uint64_t(r.attempts) << 16) | (std::uint64_t(r.undo_attempts) << 24) |
          (std::uint64_t(r.failed) << 32) | (std::uint64_t(r.cancelled) << 33) |
          (std::uint64_t(r.manual) << 34));
    h.add((std::uint64_t(r.trigger) << 32) | r.undo_trigger);
  }
  h.add(d.outbox.size());
  for (const Outgoing& o : d.outbox) h.add(key_of(o));
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
  return h.finish();
}

std::uint64_t hash(const Msg& msg) {
  Hasher h;
  h.add(msg.index());
  std::visit(
      [&](const auto& m) {
        h.add(m.tx);
        h.add((std::uint64_t(m.step) << 8) | std::uint64_t(m.what));
      },
      msg);
  return h.finish();
}

}  // namespace txsim::choreo

namespace txsim {
static_assert(CheckableProtocol<Choreography>);
}  // namespace txsim
