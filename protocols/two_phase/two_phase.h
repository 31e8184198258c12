// Two-phase commit with presumed abort and strict two-phase locking: the `two_phase` protocol.
//
// Sources: Gray & Reuter, "Transaction Processing: Concepts and Techniques", ch. 10 (the
// protocol, the logs, write-ahead of the decision); Bernstein, Hadzilacos & Goodman,
// "Concurrency Control and Recovery in Database Systems", ch. 7 (the termination protocol and
// cooperative termination, and why 2PC blocks); Mohan, Lindsay & Obermarck, "Transaction
// management in the R* distributed database management system", TODS 11(4), 1986 (presumed
// abort: abort decisions are not logged and not acknowledged; an unknown tx is an aborted tx).
//
// TwoPhase is behaviour only, built once from the scenario and immutable afterwards; all
// mutable data lives in State values (state.h). Handlers for the coordinator are in
// coordinator.cc, for the participants in participant.cc, printing in describe.cc.
// docs/protocols/two_phase.md explains the protocol for a student.
//
// Invariants the engine's checks rely on (observation conventions):
// - `vote` is observed by participants only, once per tx, after the vote is durable;
// - `decide` by the coordinator when it decides (never when it answers by presumption), and by
//   each participant when it applies an outcome (also decide 0 when it votes no);
// - `balance` only when money moves (at commit), `lock` / `unlock` with the account;
// - a fact is observed after the persist that makes it durable (write-ahead), except in the
//   deliberately broken variant log_before_send=false.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocols/two_phase/messages.h"
#include "protocols/two_phase/state.h"
#include "sim/effects.h"
#include "sim/options.h"
#include "sim/protocol.h"
#include "sim/scenario.h"
#include "sim/types.h"

namespace txsim::two_phase {

// TimerId = kind << 16 | tx (TxId is 16 bits), so every (kind, tx) pair has its own timer.
enum class TimerKind : std::uint32_t {
  prepare_timeout = 1,  // coordinator: not every vote arrived in time -> abort
  retry = 2,            // coordinator: resend Commit to participants that have not acked
  query = 3,            // participant: still in doubt -> ask for the outcome
};
constexpr TimerId timer_id(TimerKind kind, TxId tx) {
  return (static_cast<TimerId>(kind) << 16) | tx;
}
constexpr TimerKind timer_kind(TimerId id) { return static_cast<TimerKind>(id >> 16); }
constexpr TxId timer_tx(TimerId id) { return static_cast<TxId>(id & 0xFFFF); }

// ObsKind::phase values: indexes into TwoPhase::phase_names().
enum class Phase : std::int32_t { working = 0, prepared, committed, aborted, collecting };

struct Options {
  Micros prepare_timeout = ms(50);
  Micros decision_retry = ms(20);
  Micros query_interval = ms(30);
  bool cooperative_termination = false;
  bool log_before_send = true;
  bool random_no_vote = false;
};

// What the protocol keeps of one scenario transaction.
struct TxConfig {
  std::string name;
  std::vector<NodeId> participants;        // ascending, non-empty
  std::vector<NodeId> vote_no;             // ascending: scripted no votes
  std::vector<std::vector<Delta>> deltas;  // parallel to participants; ascending by account
};

struct AccountConfig {
  std::string label;  // "P1.a"
  NodeId owner = kNoNode;
  std::int64_t initial = 0;
};

struct TwoPhase {
  static constexpr std::string_view kName = "two_phase";
  using Msg = two_phase::Msg;
  using Durable = two_phase::Durable;
  using Volatile = two_phase::Volatile;
  using State = two_phase::State;
  using Fx = Effects<Msg, Durable>;

  static OptionSchema schema();
  static std::span<const std::string_view> phase_names();
  // Why this scenario cannot run under two_phase ("" if it can): exactly one coordinator,
  // every transaction has participants, none of them is the coordinator, and every transfer
  // is at the node that owns the account. The constructor asserts the same.
  static std::string check_scenario(const Scenario& scenario);
  TwoPhase(const Scenario& scenario, const OptionValues& options);

  State init(NodeId node) const;
  State restore(NodeId node, const Durable& disk) const;
  NodeId request_target(TxId) const { return coordinator_; }
  void on_request(State& s, Fx& fx, TxId tx) const;
  void on_message(State& s, Fx& fx, NodeId from, const Msg& msg) const;
  void on_timer(State& s, Fx& fx, TimerId timer) const;
  void on_recover(State& s, Fx& fx) const;

  std::string_view type_name(const Msg& msg) const { return kMsgNames[msg.index()]; }
  TxId tx_of(const Msg& msg) const { return two_phase::tx_of(msg); }
  std::string describe(const Msg& msg) const;
  std::string timer_name(TimerId timer) const;
  std::string describe_state(const State& s) const;
  // Protocol-neutral views (sim/protocol.h): side-by-side triggers, synchronous timeouts.
  MsgClass msg_class(const Msg& msg) const;
  NodeMask timer_peers(const State& s, TimerId timer) const;
  // Symmetry reduction (sim/protocol.h, RenamesNodes; rename.cc): the ids a state holds are its
  // own, the voters and ackers the coordinator collects, and the accounts of balances and
  // locks. Messages and timers name only a transaction, so they stay as they are.
  State renamed(const State& s, const NodeRenaming& r) const;
  Durable renamed(const Durable& d, const NodeRenaming& r) const;
  Msg renamed(const Msg& m, const NodeRenaming&) const { return m; }
  TimerId renamed_timer(TimerId t, const NodeRenaming&) const { return t; }

  const Options& options() const { return opts_; }
  NodeId coordinator() const { return coordinator_; }

 private:
  // Message handlers, chosen by overload from on_message.
  void handle(State& s, Fx& fx, NodeId from, const Prepare& m) const;
  void handle(State& s, Fx& fx, NodeId from, const Vote& m) const;
  void handle(State& s, Fx& fx, NodeId from, const Commit& m) const;
  void handle(State& s, Fx& fx, NodeId from, const Abort& m) const;
  void handle(State& s, Fx& fx, NodeId from, const Ack& m) const;
  void handle(State& s, Fx& fx, NodeId from, const Query& m) const;
  void handle(State& s, Fx& fx, NodeId from, const PeerQuery& m) const;
  void handle(State& s, Fx& fx, NodeId from, const PeerReply& m) const;

  // coordinator.cc
  void decide_commit(State& s, Fx& fx, TxId tx) const;
  void decide_abort(State& s, Fx& fx, TxId tx, NodeId no_voter) const;
  void on_prepare_timeout(State& s, Fx& fx, TxId tx) const;
  void on_retry(State& s, Fx& fx, TxId tx) const;
  void recover_coordinator(State& s, Fx& fx) const;

  // participant.cc
  bool can_vote_yes(const State& s, Fx& fx, TxId tx) const;
  void vote_yes(State& s, Fx& fx, TxId tx) const;
  void vote_no(State& s, Fx& fx, TxId tx) const;
  void apply_commit(State& s, Fx& fx, TxId tx) const;
  void apply_abort(State& s, Fx& fx, TxId tx) const;
  void on_query_timer(State& s, Fx& fx, TxId tx) const;
  void recover_participant(State& s, Fx& fx) const;

  const TxConfig& tx_config(TxId tx) const;
  const std::vector<Delta>& deltas_of(TxId tx, NodeId node) const;
  const std::vector<Delta>& record_deltas(const LogRecord& r, NodeId node) const {
    static const std::vector<Delta> kNone;
    return r.voted_yes ? deltas_of(r.tx, node) : kNone;
  }
  void observe_phase(Fx& fx, TxId tx, Phase phase) const;

  // describe.cc
  // Append comma-separated JSON members to the "durable" and "volatile" objects.
  void describe_coordinator(const State& s, std::string& durable, std::string& vol) const;
  void describe_participant(const State& s, std::string& durable, std::string& vol) const;
  std::string tx_json(TxId tx) const;
  std::string nodes_json(const std::vector<NodeId>& nodes) const;

  NodeId coordinator_ = kNoNode;
  std::vector<std::string> node_names_;
  std::vector<AccountConfig> accounts_;
  std::vector<TxConfig> txs_;
  Options opts_;
};

}  // namespace txsim::two_phase

namespace txsim {
using two_phase::TwoPhase;
static_assert(Protocol<TwoPhase>);
static_assert(RenamesNodes<TwoPhase>);
}  // namespace txsim
