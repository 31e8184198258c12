// Paxos Commit: the `paxos_commit` protocol. Two-phase commit in which the coordinator's one
// decision is replaced by one Paxos consensus instance per resource manager (RM), run by
// 2F+1 acceptors, so the outcome survives F failures and no single node can block the RMs.
//
// Source: Gray & Lamport, "Consensus on Transaction Commit", ACM TODS 31(1), 2006, section 4
// (and its TLA+ specification PaxosCommit.tla, ported as a checker model in
// protocols/textbook/paxos_commit.h). docs/protocols/paxos_commit.md explains it for a student.
//
// Roles: the scenario's participants are the RMs, its coordinator is the initial leader, its
// acceptors are the acceptors. Instance i of a transaction decides whether its i-th RM is
// Prepared or Aborted:
// - fast path (ballot 0): the leader sends Prepare; each RM logs its vote and sends phase 2a
//   (ballot 0, its value) to every acceptor; acceptors log and send phase 2b to the leader;
//   the leader learns an instance's value from a majority of 2b in one ballot, and decides
//   commit iff every instance chose Prepared (rm.cc, acceptor.cc, leader.cc);
// - takeover: a leader that times out on an undecided transaction runs phase 1 with a higher
//   ballot of its own (round * nodes + id) for all its instances, then proposes per instance
//   the highest-ballot value reported, or Aborted. An RM in doubt that times out becomes a
//   leader candidate itself (rm_takeover), so several leaders may compete and Paxos keeps them
//   consistent; with no rounds left it asks the initial leader and the other RMs instead.
// - ballot 0's phase 2b is bundled per acceptor (acceptor.cc), the leader's ballots bundle
//   phase 1a..2b for all instances of a transaction (section 4 of the paper allows both).
// Handlers for RMs are in rm.cc, acceptors in acceptor.cc, leaders in leader.cc, printing in
// describe.cc, hashing in hash.cc, protocol-neutral views in neutral.cc.
//
// Observation conventions (the invariants read only these):
// - `vote` by RMs, once per tx, after the vote is durable (1 Prepared, 0 Aborted);
// - `decide` by a leader when it learns the outcome and by an RM when it applies it (an RM
//   that votes Aborted decides abort at once: its instance can only choose Aborted);
// - `balance` when money moves (at commit), `lock` / `unlock` with the account;
// - every fact after the persist that makes it durable.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocols/paxos_commit/messages.h"
#include "protocols/paxos_commit/state.h"
#include "sim/effects.h"
#include "sim/options.h"
#include "sim/protocol.h"
#include "sim/scenario.h"
#include "sim/types.h"

namespace txsim::paxos_commit {

// TimerId = kind << 16 | tx (TxId is 16 bits), so every (kind, tx) pair has its own timer.
enum class TimerKind : std::uint32_t {
  leader = 1,  // initial leader: the transaction is not decided yet -> take over (phase 1a)
  rm = 2,      // RM: voted Prepared, outcome unknown -> query, and maybe take over
};
constexpr TimerId timer_id(TimerKind kind, TxId tx) {
  return (static_cast<TimerId>(kind) << 16) | tx;
}
constexpr TimerKind timer_kind(TimerId id) { return static_cast<TimerKind>(id >> 16); }
constexpr TxId timer_tx(TimerId id) { return static_cast<TxId>(id & 0xFFFF); }

// ObsKind::phase values: indexes into PaxosCommit::phase_names().
enum class Phase : std::int32_t {
  working = 0,  // RM: (unused, kept for lane colours shared with 2PC)
  prepared,     // RM: voted Prepared, in doubt
  committed,    // RM or leader: commit applied / learned
  aborted,      // RM or leader: abort applied / learned
  collecting,   // leader: waiting for the instances' phase 2b at ballot 0
  takeover,     // leader: running phase 1 / 2 in a higher ballot
  promised,     // acceptor: promised a higher ballot for the transaction
  accepted,     // acceptor: accepted a value in some instance of the transaction
};

struct Options {
  Micros leader_timeout = ms(50);
  Micros rm_timeout = ms(80);
  bool rm_takeover = true;
  std::uint16_t max_round = 10;
  bool random_no_vote = false;
};

struct Delta {  // the net change one transaction makes to one account
  AccountId account = kNoAccount;
  std::int64_t amount = 0;
  bool operator==(const Delta&) const = default;
};

struct TxConfig {
  std::string name;
  std::vector<NodeId> rms;                 // ascending, 1..kInstancesMax; instance i = rms[i]
  std::vector<NodeId> vote_no;             // ascending: scripted Aborted votes
  std::vector<std::vector<Delta>> deltas;  // parallel to rms; ascending by account
};

struct AccountConfig {
  std::string label;  // "P1.a"
  NodeId owner = kNoNode;
  std::int64_t initial = 0;
};

struct PaxosCommit {
  static constexpr std::string_view kName = "paxos_commit";
  using Msg = paxos_commit::Msg;
  using Durable = paxos_commit::Durable;
  using Volatile = paxos_commit::Volatile;
  using State = paxos_commit::State;
  using Fx = Effects<Msg, Durable>;

  static OptionSchema schema();
  static std::span<const std::string_view> phase_names();
  // Why this scenario cannot run ("" if it can): one coordinator, an odd number (2F+1) of
  // acceptors, each transaction with 1..8 RMs that are participants, transfers at the owner.
  static std::string check_scenario(const Scenario& scenario);
  PaxosCommit(const Scenario& scenario, const OptionValues& options);

  State init(NodeId node) const;
  State restore(NodeId node, const Durable& disk) const;
  NodeId request_target(TxId) const { return coordinator_; }
  void on_request(State& s, Fx& fx, TxId tx) const;
  void on_message(State& s, Fx& fx, NodeId from, const Msg& msg) const;
  void on_timer(State& s, Fx& fx, TimerId timer) const;
  void on_recover(State& s, Fx& fx) const;

  std::string_view type_name(const Msg& msg) const { return kMsgNames[msg.index()]; }
  TxId tx_of(const Msg& msg) const { return paxos_commit::tx_of(msg); }
  std::string describe(const Msg& msg) const;
  std::string timer_name(TimerId timer) const;
  std::string describe_state(const State& s) const;
  // Protocol-neutral views (sim/protocol.h): side-by-side triggers, synchronous timeouts.
  MsgClass msg_class(const Msg& msg) const;
  NodeMask timer_peers(const State& s, TimerId timer) const;
  // Symmetry reduction (sim/protocol.h, RenamesNodes and NarrowsSymmetry; rename.cc). Renaming
  // RMs permutes the instances of their transactions (every per-instance slot), renaming
  // acceptors the bits of acceptor masks; balances and locks move with their accounts. RMs are
  // interchangeable only when none can take over: ballots are ordered by their owner's id.
  State renamed(const State& s, const NodeRenaming& r) const;
  Durable renamed(const Durable& d, const NodeRenaming& r) const;
  Msg renamed(const Msg& m, const NodeRenaming& r) const;
  TimerId renamed_timer(TimerId t, const NodeRenaming&) const { return t; }
  bool interchangeable(NodeId a, NodeId b) const;

  const Options& options() const { return opts_; }
  NodeId coordinator() const { return coordinator_; }
  const std::vector<NodeId>& acceptors() const { return acceptors_; }
  std::size_t majority() const { return acceptors_.size() / 2 + 1; }
  // The node that owns (alone proposes in) `ballot`; ballot 0 is the initial leader's.
  NodeId ballot_owner(Ballot ballot) const;
  Ballot ballot_of(std::uint16_t round, NodeId node) const;

 private:
  // Message handlers, chosen by overload from on_message.
  void handle(State& s, Fx& fx, NodeId from, const Prepare& m) const;
  void handle(State& s, Fx& fx, NodeId from, const Phase1a& m) const;
  void handle(State& s, Fx& fx, NodeId from, const Phase1b& m) const;
  void handle(State& s, Fx& fx, NodeId from, const Phase2a& m) const;
  void handle(State& s, Fx& fx, NodeId from, const Phase2b& m) const;
  void handle(State& s, Fx& fx, NodeId from, const Commit& m) const;
  void handle(State& s, Fx& fx, NodeId from, const Abort& m) const;
  void handle(State& s, Fx& fx, NodeId from, const Query& m) const;

  // leader.cc
  void take_over(State& s, Fx& fx, TxId tx) const;
  void propose(State& s, Fx& fx, Leading& l) const;
  void learn(State& s, Fx& fx, Leading& l, std::size_t instance, Ballot bal, Value val,
             AcceptorMask from) const;
  void decide(State& s, Fx& fx, TxId tx, bool commit) const;
  void on_leader_timer(State& s, Fx& fx, TxId tx) const;
  void recover_leader(State& s, Fx& fx) const;
  Decision known_decision(const State& s, TxId tx) const;

  // rm.cc
  bool can_vote_yes(const State& s, Fx& fx, TxId tx) const;
  void vote(State& s, Fx& fx, TxId tx, bool yes) const;
  void send_vote(Fx& fx, TxId tx, NodeId rm, bool yes) const;
  void apply_commit(State& s, Fx& fx, TxId tx) const;
  void apply_abort(State& s, Fx& fx, TxId tx) const;
  void on_rm_timer(State& s, Fx& fx, TxId tx) const;
  void recover_rm(State& s, Fx& fx) const;

  // acceptor.cc
  std::size_t acceptor_index(NodeId node) const;

  // rename.cc: the instance and acceptor-bit permutations of one renaming.
  struct Renaming;

  const TxConfig& tx_config(TxId tx) const;
  std::size_t instance_of(TxId tx, NodeId rm) const;  // asserts rm is an RM of tx
  bool is_rm_of(TxId tx, NodeId node) const;
  const std::vector<Delta>& record_deltas(const RmRecord& r, NodeId node) const;
  void observe_phase(Fx& fx, TxId tx, Phase phase) const;

  // describe.cc
  void describe_rm(const State& s, std::string& durable, std::string& vol) const;
  void describe_acceptor(const State& s, std::string& durable) const;
  void describe_leader(const State& s, std::string& durable, std::string& vol) const;
  std::string tx_json(TxId tx) const;

  NodeId coordinator_ = kNoNode;
  std::vector<NodeId> acceptors_;  // ascending
  std::vector<Role> roles_;
  std::vector<std::string> node_names_;
  std::vector<AccountConfig> accounts_;
  std::vector<TxConfig> txs_;
  Options opts_;
};

// The number of acceptors in `mask`.
inline std::size_t count_of(AcceptorMask mask) {
  std::size_t n = 0;
  for (; mask != 0; mask &= static_cast<AcceptorMask>(mask - 1)) ++n;
  return n;
}

}  // namespace txsim::paxos_commit

namespace txsim {
using paxos_commit::PaxosCommit;
static_assert(Protocol<PaxosCommit>);
static_assert(NamesTimerPeers<PaxosCommit>);
static_assert(ClassifiesMessages<PaxosCommit>);
static_assert(RenamesNodes<PaxosCommit>);
static_assert(NarrowsSymmetry<PaxosCommit>);
}  // namespace txsim
