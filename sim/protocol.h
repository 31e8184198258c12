// The contract every protocol implements, checked at compile time by `concept Protocol`.
//
// A protocol type P is *behaviour only*: it is built once from the scenario (roles, accounts,
// transactions, its options) and is immutable afterwards. All mutable data lives in
// P::State values, one per node, which the engines own, copy, compare and (later) hash.
//
//   struct MyProtocol {
//     static constexpr std::string_view kName = "my_protocol";  // the name scenarios use
//     using Msg = std::variant<...>;           // small copyable values
//     struct Durable { ... };                  // survives a crash (the stable log)
//     struct Volatile { ... };                 // lost on a crash
//     struct State { Durable durable; Volatile vol; bool operator==(const State&) const; };
//
//     static OptionSchema schema();            // options the scenario may set
//     static std::span<const std::string_view> phase_names();  // ObsKind::phase values
//     MyProtocol(const Scenario&, const OptionValues&);
//
//     State init(NodeId) const;                // at time 0, before anything happens
//     State restore(NodeId, const Durable& disk) const;  // after a crash: disk + fresh vol
//     NodeId request_target(TxId) const;       // which node the client submits tx to
//     void on_request(State&, Fx&, TxId) const;
//     void on_message(State&, Fx&, NodeId from, const Msg&) const;
//     void on_timer(State&, Fx&, TimerId) const;
//     void on_recover(State&, Fx&) const;      // state already restored from disk
//
//     std::string_view type_name(const Msg&) const;    // "Prepare": triggers, timelines
//     TxId tx_of(const Msg&) const;                    // kNoTx when not about one tx
//     std::string describe(const Msg&) const;          // JSON object, fields beyond the tx
//     std::string timer_name(TimerId) const;           // "prepare-timeout t1"
//     std::string describe_state(const State&) const;  // JSON object, for traces / GUI
//   };
//
// Rules (docs/adding-a-protocol.md): no I/O, no clock but fx.now(), no randomness but
// fx.choose(), no static mutable data, no pointers in state. Report facts through fx.observe:
// votes, decisions, phases, balance changes, locks. The invariants read only those.
#pragma once

#include <concepts>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "sim/effects.h"
#include "sim/msg_class.h"
#include "sim/node_renaming.h"
#include "sim/options.h"
#include "sim/scenario.h"
#include "sim/types.h"

namespace txsim {

template <class P>
using FxOf = Effects<typename P::Msg, typename P::Durable>;

template <class P>
concept Protocol = requires(const P& p, typename P::State& s, const typename P::State& cs,
                            FxOf<P>& fx, const typename P::Msg& m,
                            const typename P::Durable& d, NodeId n, TimerId t, TxId tx) {
  { P::kName } -> std::convertible_to<std::string_view>;
  { P::schema() } -> std::same_as<OptionSchema>;
  { P::phase_names() } -> std::convertible_to<std::span<const std::string_view>>;
  { p.init(n) } -> std::same_as<typename P::State>;
  { p.restore(n, d) } -> std::same_as<typename P::State>;
  { p.request_target(tx) } -> std::same_as<NodeId>;
  p.on_request(s, fx, tx);
  p.on_message(s, fx, n, m);
  p.on_timer(s, fx, t);
  p.on_recover(s, fx);
  { p.type_name(m) } -> std::convertible_to<std::string_view>;
  { p.tx_of(m) } -> std::same_as<TxId>;
  { p.describe(m) } -> std::same_as<std::string>;
  { p.timer_name(t) } -> std::same_as<std::string>;
  { p.describe_state(cs) } -> std::same_as<std::string>;
  { cs.durable } -> std::convertible_to<const typename P::Durable&>;
  { cs == cs } -> std::convertible_to<bool>;
};

// --- optional: what the model checker needs on top (sim/check/protocol_model.h) ---
//
// The checker fingerprints worlds, so it needs a 64-bit hash of a node's state and of a
// message: equal values must hash alike, and the hash must not depend on the run (no pointers,
// no std::hash). A protocol provides each either as a member `std::uint64_t hash(const T&)
// const` or as a free function `std::uint64_t hash(const T&)` next to T (found by
// argument-dependent lookup). A hash of the Durable part is optional (the checker falls back
// to hashing restore(node, disk)), but Durable must be comparable: the checker keeps each
// node's disk next to its state.

template <class P, class T>
concept MemberHashable = requires(const P& p, const T& v) {
  { p.hash(v) } -> std::same_as<std::uint64_t>;
};
template <class T>
concept FreeHashable = requires(const T& v) {
  { hash(v) } -> std::same_as<std::uint64_t>;
};
template <class P, class T>
concept ProtocolHashable = MemberHashable<P, T> || FreeHashable<T>;

template <class P>
concept CheckableProtocol = Protocol<P> && ProtocolHashable<P, typename P::State> &&
                            ProtocolHashable<P, typename P::Msg> &&
                            requires(const typename P::Durable& d) {
                              { d == d } -> std::convertible_to<bool>;
                            };

// P's hash of a state, message or durable part, whichever way P provides it.
template <class P, class T>
  requires ProtocolHashable<P, T>
std::uint64_t protocol_hash(const P& p, const T& v) {
  if constexpr (MemberHashable<P, T>) {
    return p.hash(v);
  } else {
    return hash(v);
  }
}


// --- optional: protocol-neutral hooks (side-by-side runs, the checker's timing model) ---
//
// msg_class: see sim/msg_class.h. A protocol without it has every message in class `other`.
template <class P>
concept ClassifiesMessages = requires(const P& p, const typename P::Msg& m) {
  { p.msg_class(m) } -> std::same_as<MsgClass>;
};

template <class P>
MsgClass protocol_msg_class(const P& p, const typename P::Msg& m) {
  if constexpr (ClassifiesMessages<P>) {
    return p.msg_class(m);
  } else {
    return MsgClass::other;
  }
}

// timer_peers: which nodes a timer watches, as a bit set (bit n = node n). Under the checker's
// `timeouts: synchronous` (a perfect failure detector) an armed timer may fire only when no
// message in flight can still reach its node and at least one watched node is down or cut off
// from it. A protocol without the hook watches every other node. Node ids >= 64 cannot be
// watched (the checker refuses such worlds anyway: they are far beyond any exhaustive budget).
using NodeMask = std::uint64_t;
inline constexpr NodeMask node_bit(NodeId n) { return n < 64 ? NodeMask{1} << n : 0; }

template <class P>
concept NamesTimerPeers = requires(const P& p, const typename P::State& s, TimerId t) {
  { p.timer_peers(s, t) } -> std::same_as<NodeMask>;
};

// renamed: symmetry reduction over interchangeable nodes (`check.symmetry`, sim/check/symmetry.h).
// A protocol that offers it rewrites every node id and account id a value holds under a
// NodeRenaming (sim/node_renaming.h): in a State its own id, vote sets, peer lists, leader ids,
// balances and locks keyed by account (kept sorted: re-sort after renaming); in the Durable
// part the same; in a message any id in its payload; in a timer id any node it encodes. The
// checker moves the renamed state to the renamed node's slot itself. The contract: the
// protocol's handlers commute with renaming under every renaming the checker derives from the
// scenario (same role, same accounts and transfers up to renaming), i.e. handling the renamed
// event on the renamed state gives the renamed effects. Without the hook `check.symmetry` is
// refused for the protocol.
template <class P>
concept RenamesNodes = requires(const P& p, const typename P::State& s,
                                const typename P::Durable& d, const typename P::Msg& m,
                                TimerId t, const NodeRenaming& r) {
  { p.renamed(s, r) } -> std::same_as<typename P::State>;
  { p.renamed(d, r) } -> std::same_as<typename P::Durable>;
  { p.renamed(m, r) } -> std::same_as<typename P::Msg>;
  { p.renamed_timer(t, r) } -> std::same_as<TimerId>;
};

// interchangeable: a protocol whose handlers tell some nodes of one role apart by their ids
// (ballots numbered by node id, an election of the lowest id) does not commute with renaming
// them, so it narrows the checker's classes: nodes a and b are swapped only if
// p.interchangeable(a, b). It must be an equivalence on the nodes the scenario treats alike
// (the checker tests each node against its class's first node only), e.g. "not two RMs while
// RMs can lead" (paxos_commit). Without the hook every pair the scenario treats alike is.
template <class P>
concept NarrowsSymmetry = requires(const P& p, NodeId a, NodeId b) {
  { p.interchangeable(a, b) } -> std::same_as<bool>;
};

}  // namespace txsim
