// World<P>: everything the model checker knows about a run of protocol P, as one value that it
// copies, compares and fingerprints (the checker's state; sim/check/protocol_model.h explores
// it with P's own handlers).
//
// What is in it: each node's state (P::State) and disk (P::Durable as last persisted), whether
// it is up, its armed timers, the messages in flight, the partition, the Ledger the invariants
// read, the fault budget spent on the path so far, and the client requests not yet submitted.
// What is not: time. The checker is untimed, so a timer is only "armed" or not, and a message
// only "in flight" or not.
//
// Invariants (the canonical form: equal runs give equal worlds, element for element):
// - a down node's state is restore(node, disk) and it has no timers;
// - each node's timers are ascending and distinct;
// - `inflight` is sorted by link (from, to). On FIFO links the packets of one link keep their
//   send order (the first is the head, the only one deliverable); on unordered links they are
//   sorted by message hash too, so the bag has one order. (Two different messages with the same
//   64-bit hash keep their arrival order: a 2^-64 event, like any fingerprint collision.)
// - `pending` is ascending; partitions are applied with groups ordered by their smallest node;
// - the ledger's "touched" lists are empty between transitions.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/check/hash.h"
#include "sim/ledger.h"
#include "sim/network.h"
#include "sim/protocol.h"
#include "sim/types.h"

namespace txsim::check {

template <class P>
struct Packet {
  NodeId from = kNoNode;
  NodeId to = kNoNode;
  std::uint64_t msg_hash = 0;  // P's hash of msg: the sort key on unordered links
  typename P::Msg msg;

  bool operator==(const Packet& o) const {
    return from == o.from && to == o.to && msg_hash == o.msg_hash && msg == o.msg;
  }
  bool same_link(const Packet& o) const { return from == o.from && to == o.to; }
};

struct FaultsSpent {
  std::uint32_t crashes = 0;
  std::uint32_t drops = 0;
  std::uint32_t duplicates = 0;
  std::uint32_t partitions = 0;
  bool operator==(const FaultsSpent&) const = default;
};

template <class P>
struct World {
  std::vector<typename P::State> states;     // by node id
  std::vector<typename P::Durable> disks;    // by node id: the last persisted snapshot
  std::vector<std::uint8_t> up;              // by node id: 1 up, 0 crashed
  std::vector<std::vector<TimerId>> timers;  // by node id: armed, ascending
  std::vector<Packet<P>> inflight;           // canonical order, see the header comment
  PartitionState partition;
  Ledger ledger;
  FaultsSpent spent;
  std::vector<TxId> pending;  // client requests not submitted yet, ascending

  explicit World(const Scenario& sc) : partition(sc.nodes.size()), ledger(sc) {}
  bool operator==(const World&) const = default;

  std::size_t node_count() const { return states.size(); }
  // Nothing can happen on its own any more: no message, no timer, no request, nobody down
  // (a down node may always recover, so a world with one is not settled).
  bool quiescent() const {
    return inflight.empty() && pending.empty() &&
           std::all_of(timers.begin(), timers.end(), [](const auto& t) { return t.empty(); }) &&
           std::all_of(up.begin(), up.end(), [](std::uint8_t u) { return u != 0; });
  }
  // A FIFO link delivers only its oldest packet.
  bool is_head(std::size_t i) const { return i == 0 || !inflight[i - 1].same_link(inflight[i]); }
  // Packets in flight on the link from -> to.
  std::size_t on_link(NodeId from, NodeId to) const {
    return std::size_t(std::count_if(inflight.begin(), inflight.end(),
                                     [&](const auto& m) { return m.from == from && m.to == to; }));
  }
  // Copies of `m` in flight (same link, same message).
  std::size_t copies_of(const Packet<P>& m) const {
    return std::size_t(std::count(inflight.begin(), inflight.end(), m));
  }
  // Some message has more than `max` copies in flight on its link, and more than in `before`.
  bool copies_grew_past(const World& before, std::size_t max) const {
    for (std::size_t i = 0; i < inflight.size(); ++i) {
      const std::size_t c = copies_of(inflight[i]);
      if (c > max && c > before.copies_of(inflight[i])) return true;
    }
    return false;
  }
};

// Inserts a packet at its canonical place (see the header comment).
template <class P>
void add_packet(World<P>& w, Packet<P>&& packet, bool fifo) {
  auto key_less = [fifo](const Packet<P>& a, const Packet<P>& b) {
    if (a.from != b.from) return a.from < b.from;
    if (a.to != b.to) return a.to < b.to;
    return !fifo && a.msg_hash < b.msg_hash;
  };
  auto at = std::upper_bound(w.inflight.begin(), w.inflight.end(), packet, key_less);
  w.inflight.insert(at, std::move(packet));
}

inline void add_sorted(std::vector<TimerId>& timers, TimerId id) {
  auto at = std::lower_bound(timers.begin(), timers.end(), id);
  if (at == timers.end() || *at != id) timers.insert(at, id);
}

inline void erase_sorted(std::vector<TimerId>& timers, TimerId id) {
  auto at = std::lower_bound(timers.begin(), timers.end(), id);
  if (at != timers.end() && *at == id) timers.erase(at);
}

// The ledger through its public view: the same facts its operator== compares.
template <class Out>
void hash_ledger(Out& h, const Ledger& l) {
  for (std::size_t t = 0; t < l.tx_count(); ++t) {
    for (NodeId n = 0; n < l.node_count(); ++n) {
      const TxId tx = TxId(t);
      h.add((std::uint64_t(l.effects_seen(tx, n)) << 40) |
            (std::uint64_t(std::uint8_t(l.last_effect(tx, n))) << 48) |
            (std::uint64_t(std::uint8_t(l.repeated_effect(tx, n))) << 56) |
            (std::uint64_t(std::uint8_t(l.vote(tx, n))) << 32) |
            (std::uint64_t(std::uint8_t(l.decision(tx, n))) << 24) |
            (std::uint64_t(l.reversed(tx, n)) << 16) | l.locks(tx, n));
    }
  }
  for (std::size_t a = 0; a < l.account_count(); ++a) {
    h.add(static_cast<std::uint64_t>(l.balance(AccountId(a))));
    h.add(static_cast<std::uint64_t>(l.frozen(AccountId(a))));
  }
  h.add(l.faults_happened() ? 1 : 0);
}

// Connectivity, one bit per ordered pair: equal partition states give equal words.
template <class Out>
void hash_partition(Out& h, const PartitionState& part, std::size_t nodes) {
  std::uint64_t word = 0;
  int bits = 0;
  for (NodeId a = 0; a < nodes; ++a) {
    for (NodeId b = 0; b < nodes; ++b) {
      word = (word << 1) | (part.connected(a, b) ? 1 : 0);
      if (++bits == 64) {
        h.add(word);
        word = 0;
        bits = 0;
      }
    }
  }
  h.add(word);
}

// The disk as P hashes it. Without a Durable hash, a disk equal to the state's durable part
// (the usual case) adds a marker, and any other disk adds the hash of the state it restores.
template <CheckableProtocol P>
std::uint64_t hash_disk(const P& p, const World<P>& w, NodeId n) {
  if constexpr (ProtocolHashable<P, typename P::Durable>) {
    return protocol_hash(p, w.disks[n]);
  } else {
    if (w.disks[n] == w.states[n].durable) return 0x5eedULL;
    return protocol_hash(p, p.restore(n, w.disks[n]));
  }
}

// The canonical encoding, word by word, into anything with add(std::uint64_t): a Hasher for
// the fingerprint, a vector for the symmetry reduction's lexicographic comparison
// (sim/check/symmetry.h).
template <CheckableProtocol P, class Out>
void encode_world(const P& p, const World<P>& w, Out& h) {
  const std::size_t nodes = w.node_count();
  h.add(nodes);
  for (NodeId n = 0; n < nodes; ++n) {
    h.add(w.up[n]);
    h.add(protocol_hash(p, w.states[n]));
    h.add(hash_disk(p, w, n));
    h.add(w.timers[n].size());
    for (TimerId t : w.timers[n]) h.add(t);
  }
  h.add(w.inflight.size());
  for (const Packet<P>& m : w.inflight) {
    h.add((std::uint64_t(m.from) << 16) | m.to);
    h.add(m.msg_hash);
  }
  hash_partition(h, w.partition, nodes);
  hash_ledger(h, w.ledger);
  h.add(w.spent.crashes);
  h.add(w.spent.drops);
  h.add(w.spent.duplicates);
  h.add(w.spent.partitions);
  h.add(w.pending.size());
  for (TxId t : w.pending) h.add(t);
}

// The fingerprint: a Hasher over the canonical encoding, field by field.
template <CheckableProtocol P>
std::uint64_t world_fingerprint(const P& p, const World<P>& w) {
  Hasher h;
  encode_world(p, w, h);
  return h.finish();
}

}  // namespace txsim::check
