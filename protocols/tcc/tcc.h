// TCC (Try-Confirm-Cancel) with the sub-transaction barrier: the `tcc` protocol.
//
// Sources: Pat Helland, "Life beyond Distributed Transactions: an Apostate's Opinion", CIDR 2007
// (tentative operations: reserve, then confirm or cancel); the DTM project, "TCC" and
// "Exceptions and sub-transaction barrier" (dtm.pub): the TM's durable global transaction,
// Confirm/Cancel retried until they succeed, ONGOING (fixed-interval retry) versus other errors
// (exponential backoff), and the barrier that solves null compensation, hanging and duplicate
// requests; Seata, "TCC mode" and its TCC fence (seata.apache.org), the same three problems.
//
// Roles: the scenario's coordinator is the TM; the participants of a transaction are its
// branches. A branch's transfers say what its Try reserves: a negative amount freezes money
// (Confirm spends it, Cancel unfreezes it), a positive one records a pending credit (Confirm adds
// it, Cancel drops it). A branch at a `services:` node moves no money (amount 0): it is a
// third-party branch such as an SMS sender, whose Try only checks, whose Confirm sends, and
// whose Cancel has nothing to undo. docs/protocols/tcc.md explains it all for a student.
//
// Handlers: the TM in manager.cc, the branches in branch.cc, printing in describe.cc.
//
// Observation conventions (what the invariants read):
// - the TM observes `decide` once per tx (1 confirm, 0 cancel), right after the persist of it;
// - a branch observes `vote` 1 when its Try reserved and 0 when its Try failed or was refused,
//   `decide` 1 when it confirms and 0 when it cancels (null compensation included);
// - `freeze` on each account a Try reserves (+amount) and a Confirm/Cancel resolves (-amount),
//   for debits and pending credits alike; `balance` when a Confirm moves money;
// - `effect` Ledger::kEffectReserve / kEffectApply / kEffectRelease for each Try / Confirm /
//   Cancel whose business code ran (a null compensation or a skipped duplicate observes none).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocols/tcc/messages.h"
#include "protocols/tcc/state.h"
#include "sim/effects.h"
#include "sim/options.h"
#include "sim/protocol.h"
#include "sim/scenario.h"
#include "sim/types.h"

namespace txsim::tcc {

// TimerId = kind << 28 | branch slot << 16 | tx: the slot is the branch's index among the
// transaction's participants (0 for the Try timeout), so every retry has its own timer.
enum class TimerKind : std::uint32_t {
  try_timeout = 1,  // TM: not every Try answered in time -> cancel
  retry = 2,        // TM: resend Confirm / Cancel to one branch that has not succeeded
};
inline constexpr std::uint32_t kSlotsMax = 0x1000;
constexpr TimerId timer_id(TimerKind kind, TxId tx, std::uint32_t slot = 0) {
  return (static_cast<TimerId>(kind) << 28) | (slot << 16) | tx;
}
constexpr TimerKind timer_kind(TimerId id) { return static_cast<TimerKind>(id >> 28); }
constexpr std::uint32_t timer_slot(TimerId id) { return (id >> 16) & 0xFFF; }
constexpr TxId timer_tx(TimerId id) { return static_cast<TxId>(id & 0xFFFF); }

// ObsKind::phase values: indexes into Tcc::phase_names().
enum class Phase : std::int32_t {
  trying = 0,      // TM: Tries sent
  tried,           // branch: its Try reserved
  failed,          // branch: its Try failed (business failure)
  refused,         // branch: its Try came after its Cancel and was refused (anti-hanging)
  confirming,      // TM: decided confirm
  confirmed,       // TM: every branch confirmed; branch: it confirmed
  cancelling,      // TM: decided cancel
  cancelled,       // TM: every branch cancelled; branch: it released its reservation
  null_cancelled,  // branch: a Cancel with no Try before it, nothing released
};

struct Options {
  Micros try_timeout = ms(50);
  Micros retry_interval = ms(20);
  Micros backoff_max = ms(160);
  bool idempotency = true;
  bool null_compensation = true;
  bool anti_hanging = true;
  bool transient_errors = false;
  bool random_try_failure = false;
};

// What one branch does for one transaction: its net change per account, ascending.
struct Delta {
  AccountId account = kNoAccount;
  std::int64_t amount = 0;  // < 0 freezes money (debit), > 0 a pending credit, 0 nothing
};

struct TxConfig {
  std::string name;
  std::vector<NodeId> branches;            // ascending, non-empty
  std::vector<NodeId> vote_no;             // ascending: scripted Try failures
  std::vector<std::vector<Delta>> deltas;  // parallel to branches
};

struct Tcc {
  static constexpr std::string_view kName = "tcc";
  using Msg = tcc::Msg;
  using Durable = tcc::Durable;
  using Volatile = tcc::Volatile;
  using State = tcc::State;
  using Fx = Effects<Msg, Durable>;

  static OptionSchema schema();
  static std::span<const std::string_view> phase_names();
  // Why this scenario cannot run under tcc ("" if it can): exactly one coordinator, every
  // transaction has branches other than it, transfers at the account's owner, amounts within
  // 32 bits, and none at a service node (a third-party branch moves no money).
  static std::string check_scenario(const Scenario& scenario);
  Tcc(const Scenario& scenario, const OptionValues& options);

  State init(NodeId node) const;
  State restore(NodeId node, const Durable& disk) const;
  NodeId request_target(TxId) const { return tm_; }
  void on_request(State& s, Fx& fx, TxId tx) const;
  void on_message(State& s, Fx& fx, NodeId from, const Msg& msg) const;
  void on_timer(State& s, Fx& fx, TimerId timer) const;
  void on_recover(State& s, Fx& fx) const;

  std::string_view type_name(const Msg& msg) const { return kMsgNames[msg.index()]; }
  TxId tx_of(const Msg& msg) const { return tcc::tx_of(msg); }
  std::string describe(const Msg& msg) const;
  std::string timer_name(TimerId timer) const;
  std::string describe_state(const State& s) const;
  MsgClass msg_class(const Msg& msg) const;
  NodeMask timer_peers(const State& s, TimerId timer) const;
  // Symmetry reduction (sim/protocol.h, RenamesNodes; rename.cc): the ids a state holds are its
  // own, the TM's branches whose Try succeeded and its outstanding branches, and the accounts
  // of the wallets. A retry timer names its branch by slot: renaming moves it to the renamed
  // branch's slot. Messages carry no node or account id.
  State renamed(const State& s, const NodeRenaming& r) const;
  Durable renamed(const Durable& d, const NodeRenaming& r) const;
  Msg renamed(const Msg& m, const NodeRenaming&) const { return m; }
  TimerId renamed_timer(TimerId t, const NodeRenaming& r) const;

  const Options& options() const { return opts_; }
  NodeId tm() const { return tm_; }

 private:
  // Message handlers, chosen by overload from on_message.
  void handle(State& s, Fx& fx, NodeId from, const Try& m) const;
  void handle(State& s, Fx& fx, NodeId from, const TryReply& m) const;
  void handle(State& s, Fx& fx, NodeId from, const Confirm& m) const;
  void handle(State& s, Fx& fx, NodeId from, const Cancel& m) const;
  void handle(State& s, Fx& fx, NodeId from, const ConfirmReply& m) const;
  void handle(State& s, Fx& fx, NodeId from, const CancelReply& m) const;

  // manager.cc
  void decide(State& s, Fx& fx, TxId tx, bool confirm) const;
  void start_phase_two(State& s, Fx& fx, TxId tx, bool confirm) const;
  void send_decision(Fx& fx, TxId tx, NodeId branch, bool confirm) const;
  void on_phase_two_reply(State& s, Fx& fx, NodeId from, TxId tx, Reply status,
                          bool confirm) const;
  void finish(State& s, Fx& fx, TxId tx) const;
  void on_try_timeout(State& s, Fx& fx, TxId tx) const;
  void on_retry(State& s, Fx& fx, TxId tx, std::uint32_t slot) const;
  Micros backoff(std::uint8_t doublings) const;
  void recover_tm(State& s, Fx& fx) const;

  // branch.cc
  bool can_try(const State& s, Fx& fx, TxId tx) const;
  void reserve(State& s, Fx& fx, TxId tx) const;
  void refuse_try(Fx& fx, TxId tx, Phase phase) const;
  std::optional<Reply> transient_reply(Fx& fx) const;
  void apply_confirm(State& s, Fx& fx, TxId tx) const;
  void apply_cancel(State& s, Fx& fx, TxId tx) const;
  void null_cancel(State& s, Fx& fx, TxId tx) const;
  Wallet& wallet(State& s, AccountId a) const;

  const TxConfig& tx_config(TxId tx) const;
  std::uint32_t slot_of(TxId tx, NodeId branch) const;
  const std::vector<Delta>& deltas_of(TxId tx, NodeId branch) const;
  void observe_phase(Fx& fx, TxId tx, Phase phase) const;

  // describe.cc
  void describe_tm(const State& s, std::string& durable, std::string& vol) const;
  void describe_branch(const State& s, std::string& durable) const;
  std::string tx_json(TxId tx) const;
  std::string node_json(NodeId n) const;

  NodeId tm_ = kNoNode;
  std::vector<std::string> node_names_;
  std::vector<std::string> account_labels_;
  std::vector<AccountSpec> accounts_;
  std::vector<TxConfig> txs_;
  Options opts_;
};

}  // namespace txsim::tcc

namespace txsim {
using tcc::Tcc;
static_assert(Protocol<Tcc>);
static_assert(ClassifiesMessages<Tcc>);
static_assert(NamesTimerPeers<Tcc>);
static_assert(RenamesNodes<Tcc>);
}  // namespace txsim
