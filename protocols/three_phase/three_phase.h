// Three-phase commit with an elected termination leader: the `three_phase` protocol.
//
// Sources: Skeen, "Nonblocking commit protocols", SIGMOD 1981 (the protocol, its states and
// its timeout rules, and why an extra "precommitted" state makes commit non-blocking when
// sites fail by crashing); Bernstein, Hadzilacos & Goodman, "Concurrency Control and Recovery
// in Database Systems", ch. 7 (3PC's logging, the election of a new coordinator, the
// termination protocol and its rules, and why 3PC is unsafe once the network can partition).
//
// The protocol in one paragraph: the coordinator sends CanCommit; each participant votes
// (a yes vote is forced to the log: state "uncertain"); with all yes the coordinator sends
// PreCommit, each participant logs "precommitted" and acks; with all acks (or an ack timeout)
// the coordinator logs commit and sends DoCommit. A participant that times out on whoever it
// follows suspects it and elects the lowest participant it does not suspect; the elected one
// asks every unsuspected participant for its state and decides by the termination rules:
// any committed -> commit; any aborted -> abort; any precommitted -> PreCommit the uncertain
// ones, then commit; all uncertain -> abort. A node that recovers never decides from an
// uncertain or precommitted log alone: it queries (Query), and the termination rules decide.
// docs/protocols/three_phase.md explains it for a student.
//
// ThreePhase is behaviour only, built once from the scenario and immutable afterwards; all
// mutable data lives in State values (state.h). Coordinator handlers: coordinator.cc;
// participant handlers: participant.cc; election and termination: termination.cc; printing:
// describe.cc; checker hashes: hash.cc.
//
// Observation conventions (what the invariants read):
// - `vote` by participants only, once per tx, after the vote is durable;
// - `decide` by whoever takes or learns the outcome (coordinator, participants, leader), each
//   after the persist that records it; a no vote is also the participant's `decide 0`;
// - `balance` only at commit, `lock` / `unlock` with the account; `forget` at the end record.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocols/three_phase/messages.h"
#include "protocols/three_phase/state.h"
#include "sim/effects.h"
#include "sim/options.h"
#include "sim/protocol.h"
#include "sim/scenario.h"
#include "sim/types.h"

namespace txsim::three_phase {

// TimerId = kind << 16 | tx (TxId is 16 bits), so every (kind, tx) pair has its own timer.
enum class TimerKind : std::uint32_t {
  vote_timeout = 1,  // coordinator: not every vote arrived -> abort
  ack_timeout = 2,   // coordinator: not every PreCommitAck arrived -> commit anyway
  wait = 3,          // participant: whom it follows went silent -> suspect it, elect
  collect = 4,       // termination leader: not every state / ack arrived -> decide without
};
constexpr TimerId timer_id(TimerKind kind, TxId tx) {
  return (static_cast<TimerId>(kind) << 16) | tx;
}
constexpr TimerKind timer_kind(TimerId id) { return static_cast<TimerKind>(id >> 16); }
constexpr TxId timer_tx(TimerId id) { return static_cast<TxId>(id & 0xFFFF); }

// ObsKind::phase values: indexes into ThreePhase::phase_names().
enum class Phase : std::int32_t {
  working = 0,
  uncertain,
  precommitted,
  committed,
  aborted,
  collecting,     // coordinator, waiting for votes
  precommitting,  // coordinator, waiting for PreCommitAcks
  terminating,    // participant leading the termination protocol
  querying,       // recovered coordinator without a decision
};

struct Options {
  Micros vote_timeout = ms(50);
  Micros ack_timeout = ms(50);
  Micros decision_timeout = ms(100);
  Micros termination_timeout = ms(40);
  bool random_no_vote = false;
};

// What the protocol keeps of one scenario transaction.
struct TxConfig {
  std::string name;
  std::vector<NodeId> participants;        // ascending, non-empty
  NodeMask members = 0;                    // the same, as a bit set
  std::vector<NodeId> vote_no;             // ascending: scripted no votes
  std::vector<std::vector<Delta>> deltas;  // parallel to participants; ascending by account
};

struct AccountConfig {
  std::string label;  // "P1.a"
  NodeId owner = kNoNode;
  std::int64_t initial = 0;
};

struct ThreePhase {
  static constexpr std::string_view kName = "three_phase";
  using Msg = three_phase::Msg;
  using Durable = three_phase::Durable;
  using Volatile = three_phase::Volatile;
  using State = three_phase::State;
  using Fx = Effects<Msg, Durable>;

  static OptionSchema schema();
  static std::span<const std::string_view> phase_names();
  // Why this scenario cannot run under three_phase ("" if it can): exactly one coordinator,
  // every transaction has participants (none of them the coordinator, all with ids < 64), and
  // every transfer is at the node that owns the account.
  static std::string check_scenario(const Scenario& scenario);
  ThreePhase(const Scenario& scenario, const OptionValues& options);

  State init(NodeId node) const;
  State restore(NodeId node, const Durable& disk) const;
  NodeId request_target(TxId) const { return coordinator_; }
  void on_request(State& s, Fx& fx, TxId tx) const;
  void on_message(State& s, Fx& fx, NodeId from, const Msg& msg) const;
  void on_timer(State& s, Fx& fx, TimerId timer) const;
  void on_recover(State& s, Fx& fx) const;

  std::string_view type_name(const Msg& msg) const { return kMsgNames[msg.index()]; }
  TxId tx_of(const Msg& msg) const { return three_phase::tx_of(msg); }
  std::string describe(const Msg& msg) const;
  std::string timer_name(TimerId timer) const;
  std::string describe_state(const State& s) const;
  MsgClass msg_class(const Msg& msg) const;
  // The nodes a timer waits for (the checker's synchronous timing model, sim/protocol.h).
  NodeMask timer_peers(const State& s, TimerId timer) const;

  const Options& options() const { return opts_; }
  NodeId coordinator() const { return coordinator_; }

 private:
  // Message handlers, chosen by overload from on_message.
  void handle(State& s, Fx& fx, NodeId from, const CanCommit& m) const;
  void handle(State& s, Fx& fx, NodeId from, const Vote& m) const;
  void handle(State& s, Fx& fx, NodeId from, const PreCommit& m) const;
  void handle(State& s, Fx& fx, NodeId from, const PreCommitAck& m) const;
  void handle(State& s, Fx& fx, NodeId from, const DoCommit& m) const;
  void handle(State& s, Fx& fx, NodeId from, const DoCommitAck& m) const;
  void handle(State& s, Fx& fx, NodeId from, const Abort& m) const;
  void handle(State& s, Fx& fx, NodeId from, const Elect& m) const;
  void handle(State& s, Fx& fx, NodeId from, const StateReq& m) const;
  void handle(State& s, Fx& fx, NodeId from, const StateReply& m) const;
  void handle(State& s, Fx& fx, NodeId from, const Query& m) const;

  // coordinator.cc
  void coord_vote(State& s, Fx& fx, NodeId from, const Vote& m) const;
  void coord_precommit_ack(State& s, Fx& fx, NodeId from, TxId tx) const;
  void coord_commit_ack(State& s, Fx& fx, NodeId from, TxId tx) const;
  void coord_query(State& s, Fx& fx, NodeId from, TxId tx) const;
  void coord_learn(State& s, Fx& fx, TxId tx, bool commit) const;
  void start_precommit(State& s, Fx& fx, TxId tx) const;
  void coord_commit(State& s, Fx& fx, TxId tx) const;
  void coord_abort(State& s, Fx& fx, TxId tx, NodeId no_voter) const;
  void on_vote_timeout(State& s, Fx& fx, TxId tx) const;
  void on_ack_timeout(State& s, Fx& fx, TxId tx) const;
  void recover_coordinator(State& s, Fx& fx) const;

  // participant.cc
  bool can_vote_yes(const State& s, Fx& fx, TxId tx) const;
  void vote_yes(State& s, Fx& fx, TxId tx) const;
  void vote_no(State& s, Fx& fx, TxId tx) const;
  void abort_unvoted(State& s, Fx& fx, TxId tx) const;
  void apply_precommit(State& s, Fx& fx, TxId tx) const;
  void apply_commit(State& s, Fx& fx, TxId tx) const;
  void apply_abort(State& s, Fx& fx, TxId tx) const;
  void end_follow(State& s, Fx& fx, TxId tx) const;
  void send_outcome(Fx& fx, NodeId to, const LogRecord& r) const;
  void recover_participant(State& s, Fx& fx) const;

  // termination.cc
  void on_wait_timer(State& s, Fx& fx, TxId tx) const;
  void on_collect_timer(State& s, Fx& fx, TxId tx) const;
  void elect(State& s, Fx& fx, TxId tx) const;
  void start_leading(State& s, Fx& fx, TxId tx) const;
  void conclude(State& s, Fx& fx, TxId tx) const;
  void lead_decide(State& s, Fx& fx, TxId tx, bool commit) const;
  void leader_precommit_ack(State& s, Fx& fx, NodeId from, TxId tx) const;

  const TxConfig& tx_config(TxId tx) const;
  const std::vector<Delta>& deltas_of(TxId tx, NodeId node) const;
  const std::vector<Delta>& record_deltas(const LogRecord& r, NodeId node) const {
    static const std::vector<Delta> kNone;
    return r.voted_yes ? deltas_of(r.tx, node) : kNone;
  }
  void observe_phase(Fx& fx, TxId tx, Phase phase) const;

  // describe.cc
  void describe_coordinator(const State& s, std::string& durable, std::string& vol) const;
  void describe_participant(const State& s, std::string& durable, std::string& vol) const;
  std::string tx_json(TxId tx) const;
  std::string nodes_json(NodeMask nodes) const;

  NodeId coordinator_ = kNoNode;
  std::vector<std::string> node_names_;
  std::vector<AccountConfig> accounts_;
  std::vector<TxConfig> txs_;
  Options opts_;
};

}  // namespace txsim::three_phase

namespace txsim {
using three_phase::ThreePhase;
static_assert(Protocol<ThreePhase>);
static_assert(ClassifiesMessages<ThreePhase>);
static_assert(NamesTimerPeers<ThreePhase>);
}  // namespace txsim
