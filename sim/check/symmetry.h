// WorldSymmetry<P>: the checker's symmetry reduction for protocol models (`check.symmetry`,
// docs/checker.md "Symmetry reduction"). It maps a World to the representative of its orbit
// under the renamings of interchangeable nodes (sim/check/symmetry_classes.h), so that
// ProtocolModel<P>::fingerprint() is the same for every world of one orbit and the search
// visits one world per orbit.
//
// Renaming a world (renamed()): node n's state, disk, up flag and timers move to slot r(n),
// rewritten by the protocol's hooks (P::renamed, P::renamed_timer; sim/protocol.h, which
// rewrite the ids *inside* a value); messages in flight get r(from) -> r(to) and a renamed
// payload, and are re-sorted into World's canonical order (a link's packets keep their send
// order: stable sort); the partition's groups and cuts are renamed and re-applied with groups
// ordered by smallest node; the ledger's cells move with their node and account
// (Ledger::renamed). The fault budget spent and the pending requests hold no node ids.
//
// The representative (canonical()): among the worlds renamed by *every* renaming that permutes
// nodes within their classes (the product of the classes' factorials, classes of at most 6
// nodes), the one whose encoding (encode_world, the words the fingerprint hashes) is
// lexicographically smallest. That is exact orbit canonicalisation: the set of renamed worlds
// is the whole orbit whichever member we start from, so every member gets the same
// representative, and worlds of different orbits get different ones (up to the same 64-bit
// hash collisions a fingerprint already risks, as the encoding uses the protocol's hashes).
// Cost: one renamed world and one encoding per renaming, per fingerprint (6 for three
// interchangeable participants).
//
// Exactness needs steps that commute with renaming. They all do but one: a crash in the
// middle of a broadcast keeps a prefix of the sends in handler order (lowest id first), so with
// `crashes` > 0 the reduction relies on the protocol not caring who heard first; for 2PC that
// is checked by brute force (tests/check/symmetry_test.cc), in general it is an assumption.
//
// Only fingerprints and stored states use the representative: the search keeps and expands
// the real worlds, so counterexamples are real paths and replay reproduces them unchanged.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/check/hash.h"
#include "sim/check/symmetry_classes.h"
#include "sim/check/world.h"
#include "sim/protocol.h"

namespace txsim::check {

// Collects the encoding's words (encode_world's Out).
struct WordSink {
  std::vector<std::uint64_t> words;
  void add(std::uint64_t w) { words.push_back(w); }
};

template <CheckableProtocol P>
class WorldSymmetry {
 public:
  WorldSymmetry() = default;  // no symmetry: every world is its own representative
  WorldSymmetry(const Scenario& sc, SymmetryClasses classes)
      : classes_(std::move(classes)), fifo_(sc.network.fifo) {
    renamings_ = classes_.renamings(sc.nodes.size(), sc.accounts.size());
  }

  bool active() const { return renamings_.size() > 1; }
  const SymmetryClasses& classes() const { return classes_; }
  // How many renamings canonical() tries (the identity included).
  std::size_t renaming_count() const { return renamings_.size(); }
  const std::vector<NodeRenaming>& renamings() const { return renamings_; }

  World<P> renamed(const P& p, const World<P>& w, const NodeRenaming& r) const
    requires RenamesNodes<P>
  {
    World<P> out = w;
    for (NodeId n = 0; n < w.node_count(); ++n) {
      const NodeId m = r(n);
      out.states[m] = p.renamed(w.states[n], r);
      out.disks[m] = p.renamed(w.disks[n], r);
      out.up[m] = w.up[n];
      out.timers[m].clear();
      for (TimerId t : w.timers[n]) out.timers[m].push_back(p.renamed_timer(t, r));
      std::sort(out.timers[m].begin(), out.timers[m].end());
    }
    for (Packet<P>& m : out.inflight) {
      m.from = r(m.from);
      m.to = r(m.to);
      m.msg = p.renamed(m.msg, r);
      m.msg_hash = protocol_hash(p, m.msg);
    }
    const bool fifo = fifo_;
    std::stable_sort(out.inflight.begin(), out.inflight.end(),
                     [fifo](const Packet<P>& a, const Packet<P>& b) {
                       if (a.from != b.from) return a.from < b.from;
                       if (a.to != b.to) return a.to < b.to;
                       return !fifo && a.msg_hash < b.msg_hash;
                     });
    out.partition = renamed_partition(w.partition, w.node_count(), r);
    out.ledger = w.ledger.renamed(r);
    return out;
  }

  // The orbit's representative: see the header comment.
  World<P> canonical(const P& p, const World<P>& w) const {
    if constexpr (RenamesNodes<P>) {
      if (active()) {
        std::pair<World<P>, WordSink> best = smallest(p, w);
        return std::move(best.first);
      }
    }
    return w;
  }

  // world_fingerprint of canonical(p, w) (the Hasher over its encoding).
  std::uint64_t fingerprint(const P& p, const World<P>& w) const {
    if constexpr (RenamesNodes<P>) {
      if (active()) {
        const WordSink best = smallest(p, w).second;
        Hasher h;
        for (std::uint64_t word : best.words) h.add(word);
        return h.finish();
      }
    }
    return world_fingerprint(p, w);
  }

 private:
  std::pair<World<P>, WordSink> smallest(const P& p, const World<P>& w) const
    requires RenamesNodes<P>
  {
    WordSink best;
    encode_world(p, w, best);  // renamings_[0] is the identity
    World<P> best_world = w;
    WordSink words;
    for (std::size_t i = 1; i < renamings_.size(); ++i) {
      World<P> x = renamed(p, w, renamings_[i]);
      words.words.clear();
      encode_world(p, x, words);
      if (words.words < best.words) {
        std::swap(best.words, words.words);
        best_world = std::move(x);
      }
    }
    return {std::move(best_world), std::move(best)};
  }

  static PartitionState renamed_partition(const PartitionState& part, std::size_t nodes,
                                          const NodeRenaming& r) {
    PartitionState out(nodes);
    if (part.whole()) return out;
    std::vector<std::vector<NodeId>> groups;
    for (NodeId n = 0; n < nodes; ++n) {
      const std::size_t g = part.group_of(n);
      if (groups.size() <= g) groups.resize(g + 1);
      groups[g].push_back(r(n));
    }
    std::erase_if(groups, [](const auto& g) { return g.empty(); });
    for (auto& g : groups) std::sort(g.begin(), g.end());
    std::sort(groups.begin(), groups.end());  // disjoint sorted groups: by smallest node
    FaultAction a;
    a.kind = FaultAction::Kind::partition;
    a.groups = std::move(groups);
    out.apply(a);
    // One-way cuts inside a group (the checker itself starts none; kept for completeness).
    for (NodeId f = 0; f < nodes; ++f) {
      for (NodeId t = 0; t < nodes; ++t) {
        if (f == t || part.group_of(f) != part.group_of(t) || part.connected(f, t)) continue;
        FaultAction cut;
        cut.kind = FaultAction::Kind::partition;
        cut.cut_from = {r(f)};
        cut.cut_to = {r(t)};
        out.apply(cut);
      }
    }
    return out;
  }

  SymmetryClasses classes_;
  std::vector<NodeRenaming> renamings_;
  bool fifo_ = true;
};

}  // namespace txsim::check
