// Choreography, the bus: each service's transactional outbox (Richardson 2018, ch. 3). An event
// is published by adding one outbox entry per subscriber - every other service of the saga -
// in the same persist as the change it announces; the entries are sent once that persist is
// done, and resent every redeliver_interval, and after a crash, until the subscriber acks.
//
// Why no broker node: a broker would be one more place where an event can be lost or doubled,
// and its own at-least-once relay would look exactly like this one; keeping the relay at the
// publisher makes the guarantee visible in the publisher's durable state (the outbox), which
// the checker explores like any other state.
//
// Invariants: an outbox entry exists until its subscriber's Ack arrives (and that removal is
// persisted); the redelivery timer of a saga instance is armed while the outbox holds an entry
// of it; fresh entries are sent only after the persist that wrote them.
#include <algorithm>

#include "protocols/saga_choreography/choreography.h"
#include "sim/assert.h"

namespace txsim::choreo {

// SagaBegun goes to the services of the other root steps (only they react to it); every other
// event to every other service of the saga: a step's outcome can matter to any of them (a
// successor starts, a parallel branch cancels, a predecessor compensates, everyone learns that
// the saga completed).
void Choreography::publish(State& s, Outbound& out, TxId tx, std::uint16_t i,
                           What what) const {
  for (NodeId to : saga_of(tx).config.services) {
    if (to == s.node) continue;
    if (what == What::begun && !step(tx, step_at(tx, to)).after.empty()) continue;
    const Outgoing o{tx, i, what, to};
    find_or_insert(s.durable.outbox, o);
    out.fresh.push_back(o);
  }
  out.dirty = true;
}

// After a handler: persist what is not persisted yet, then send what it published.
void Choreography::flush(State& s, Fx& fx, Outbound& out) const {
  if (out.dirty) fx.persist(s.durable);
  out.dirty = false;
  std::vector<TxId> armed;
  for (const Outgoing& o : out.fresh) {
    fx.send(o.to, Event{o.tx, o.step, o.what});
    if (std::find(armed.begin(), armed.end(), o.tx) != armed.end()) continue;
    armed.push_back(o.tx);
    fx.set_timer(timer_id(TimerKind::redeliver, o.tx), opts_.redeliver_interval);
  }
  out.fresh.clear();
}

void Choreography::on_ack(State& s, Fx& fx, NodeId from, const Ack& a) const {
  if (!erase_key(s.durable.outbox, outgoing_key(a.tx, a.step, a.what, from))) return;
  fx.persist(s.durable);
  const bool owed = std::any_of(s.durable.outbox.begin(), s.durable.outbox.end(),
                                [&](const Outgoing& o) { return o.tx == a.tx; });
  if (!owed) fx.cancel_timer(timer_id(TimerKind::redeliver, a.tx));
}

void Choreography::redeliver(State& s, Fx& fx, TxId tx) const {
  bool owed = false;
  for (const Outgoing& o : s.durable.outbox) {
    if (o.tx != tx) continue;
    fx.send(o.to, Event{o.tx, o.step, o.what});
    owed = true;
  }
  if (owed) fx.set_timer(timer_id(TimerKind::redeliver, tx), opts_.redeliver_interval);
}

}  // namespace txsim::choreo
