// Paxos Commit, renaming: the hooks of the checker's symmetry reduction (sim/protocol.h,
// RenamesNodes and NarrowsSymmetry; sim/check/symmetry.h). Sources: see paxos_commit.h.
//
// Where ids hide. Besides a node's own id, the accounts of its balances and locks, and message
// endpoints, Paxos Commit refers to nodes by position: instance i of a transaction is its i-th
// RM in id order, so every per-instance array (an acceptor's accepted slots, a leader's best,
// learn and chosen, and the slots of phase 1b, 2a and 2b) is indexed by RM; and bit i of an
// AcceptorMask is the i-th acceptor in id order. Renaming RMs permutes the instances of each
// transaction they take part in, renaming acceptors permutes the mask bits.
//
// Which nodes are interchangeable (interchangeable()): acceptors always; RMs only when no RM
// can take over. A ballot is round * nodes + owner, so two RMs leading in the same round are
// ordered by id: the one with the higher id wins. Renaming them would swap who wins, which no
// handler does, so with rm_takeover (and rounds to spend) RMs are told apart and never renamed.
// Then every ballot belongs to a node the renaming keeps (the initial leader, which the checker
// never renames: it receives the requests, or an RM kept fixed), and ballots stay as they are.
//
// Why the rest commutes: the handlers use the configuration (instances, deltas by account,
// scripted Aborted votes, the acceptor list) only through positions the renaming permutes
// consistently, count acceptors by majority (a set, not an order) and treat every RM of an
// instance alike. Messages and timer ids carry a transaction id; timers nothing else.
//
// Invariant kept: every container stays sorted by its key (state.h), slots past a
// transaction's RM count stay empty, so a renamed state compares and hashes like one built
// directly.
#include <algorithm>
#include <array>
#include <type_traits>
#include <variant>

#include "protocols/paxos_commit/paxos_commit.h"

namespace txsim::paxos_commit {
namespace {

// to[i]: the instance that instance i (the i-th RM of a transaction) becomes under a renaming.
using InstanceMap = std::array<std::size_t, kInstancesMax>;

template <class T>
std::array<T, kInstancesMax> permuted(const std::array<T, kInstancesMax>& in, const InstanceMap& to,
                                      std::size_t n) {
  std::array<T, kInstancesMax> out = in;  // slots past n are empty and stay so
  for (std::size_t i = 0; i < n; ++i) out[to[i]] = in[i];
  return out;
}

}  // namespace

bool PaxosCommit::interchangeable(NodeId a, NodeId b) const {
  const bool takeover = opts_.rm_takeover && opts_.max_round > 0;
  return !(takeover && roles_[a] == Role::participant && roles_[b] == Role::participant);
}

// The instances of tx after renaming, and a check that no ballot owner is renamed.
struct PaxosCommit::Renaming {
  const PaxosCommit& p;
  const NodeRenaming& r;

  InstanceMap instances(TxId tx) const {
    InstanceMap to{};
    const std::vector<NodeId>& rms = p.tx_config(tx).rms;
    for (std::size_t i = 0; i < rms.size(); ++i) to[i] = p.instance_of(tx, r(rms[i]));
    return to;
  }
  std::size_t rm_count(TxId tx) const { return p.tx_config(tx).rms.size(); }
  Values values(TxId tx, const Values& v) const { return permuted(v, instances(tx), rm_count(tx)); }
  Slots slots(TxId tx, const Slots& s) const {
    for (const Accepted& a : s) ballot(a.bal);
    return permuted(s, instances(tx), rm_count(tx));
  }
  AcceptorMask acceptors(AcceptorMask m) const {
    AcceptorMask out = 0;
    for (std::size_t i = 0; i < p.acceptors_.size(); ++i) {
      if ((m & (1u << i)) != 0)
        out |= static_cast<AcceptorMask>(1u << p.acceptor_index(r(p.acceptors_[i])));
    }
    return out;
  }
  Ballot ballot(Ballot b) const {
    TXSIM_ASSERT_MSG(r(p.ballot_owner(b)) == p.ballot_owner(b),
                     "paxos_commit: a ballot owner renamed (interchangeable() forbids it)");
    return b;
  }
};

Durable PaxosCommit::renamed(const Durable& d, const NodeRenaming& r) const {
  const Renaming rn{*this, r};
  Durable out = d;  // log and leader are keyed by transaction and hold no node id
  r.rename_accounts(out.balances);
  for (AcceptorRecord& a : out.acceptor) {
    a.promised = rn.ballot(a.promised);
    a.accepted = rn.slots(a.tx, a.accepted);
  }
  return out;
}

State PaxosCommit::renamed(const State& s, const NodeRenaming& r) const {
  const Renaming rn{*this, r};
  State out;
  out.node = r(s.node);
  out.durable = renamed(s.durable, r);
  out.vol = s.vol;
  r.rename_accounts(out.vol.locks);
  for (Leading& l : out.vol.leading) {
    l.ballot = rn.ballot(l.ballot);
    l.promised = rn.acceptors(l.promised);
    l.best = rn.slots(l.tx, l.best);
    for (Learn& c : l.learn) {
      c.bal = rn.ballot(c.bal);
      c.acceptors = rn.acceptors(c.acceptors);
    }
    l.learn = permuted(l.learn, rn.instances(l.tx), rn.rm_count(l.tx));
    l.chosen = rn.values(l.tx, l.chosen);
  }
  return out;
}

Msg PaxosCommit::renamed(const Msg& m, const NodeRenaming& r) const {
  const Renaming rn{*this, r};
  return std::visit(
      [&](const auto& x) -> Msg {
        using T = std::decay_t<decltype(x)>;
        T out = x;
        if constexpr (requires { out.ballot; }) out.ballot = rn.ballot(out.ballot);
        if constexpr (std::is_same_v<T, Phase1b>) out.accepted = rn.slots(x.tx, x.accepted);
        if constexpr (requires { out.values; }) out.values = rn.values(x.tx, x.values);
        return out;
      },
      m);
}

}  // namespace txsim::paxos_commit
