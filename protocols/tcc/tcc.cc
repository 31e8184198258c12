// TCC: construction from the scenario, the option schema, initial and restored states, the
// dispatch of events to the TM (manager.cc) and branch (branch.cc) handlers, and the
// protocol-neutral hooks msg_class and timer_peers. Sources: see tcc.h.
#include "protocols/tcc/tcc.h"

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <variant>

#include "sim/assert.h"

namespace txsim::tcc {
namespace {

constexpr std::array<std::string_view, 9> kPhaseNames = {
    "trying",    "tried",      "failed",    "refused",       "confirming",
    "confirmed", "cancelling", "cancelled", "null-cancelled"};

// The net change of tx at `node`, one Delta per account, ascending by account.
std::vector<Delta> deltas_at(const TxSpec& spec, NodeId node) {
  std::map<AccountId, std::int64_t> sums;
  for (const TransferSpec& t : spec.transfers)
    if (t.at == node) sums[t.account] += t.amount;
  std::vector<Delta> out;
  for (const auto& [account, amount] : sums) out.push_back(Delta{account, amount});
  return out;
}

bool fits_observation(std::int64_t amount) {
  return amount >= -std::numeric_limits<std::int32_t>::max() &&
         amount <= std::numeric_limits<std::int32_t>::max();
}

std::string check_transfers(const Scenario& sc, const TxSpec& t) {
  for (const TransferSpec& tr : t.transfers) {
    if (tr.account >= sc.accounts.size() || sc.accounts[tr.account].owner != tr.at) {
      return "transaction " + t.name + ": a transfer is not at the account's owner";
    }
    if (!fits_observation(tr.amount)) return "transaction " + t.name + ": amount too large";
    if (sc.nodes[tr.at].role == Role::service && tr.amount != 0) {
      return "transaction " + t.name + ": " + sc.nodes[tr.at].name +
             " is a service (a third-party branch such as an SMS sender): its amount must be 0";
    }
  }
  return "";
}

}  // namespace

std::string Tcc::check_scenario(const Scenario& sc) {
  std::size_t coordinators = 0;
  for (const NodeSpec& n : sc.nodes) coordinators += n.role == Role::coordinator ? 1 : 0;
  if (coordinators != 1) {
    return "needs exactly one node with role coordinator (the TM), found " +
           std::to_string(coordinators);
  }
  if (sc.transactions.size() >= kNoTx) return "too many transactions";
  for (const TxSpec& t : sc.transactions) {
    if (t.participants.empty()) return "transaction " + t.name + " has no transfers";
    if (t.participants.size() >= kSlotsMax) return "transaction " + t.name + ": too many branches";
    for (NodeId p : t.participants) {
      if (p >= sc.nodes.size() || sc.nodes[p].role == Role::coordinator) {
        return "transaction " + t.name + ": the TM cannot be a branch";
      }
    }
    std::string bad = check_transfers(sc, t);
    if (!bad.empty()) return bad;
  }
  return "";
}

OptionSchema Tcc::schema() {
  return {
      {"try_timeout", OptionType::duration, "50ms",
       "The TM cancels a transaction if not every Try answered within this time."},
      {"retry_interval", OptionType::duration, "20ms",
       "The TM resends Confirm/Cancel after this long without success (and after 'in progress')."},
      {"backoff_max", OptionType::duration, "160ms",
       "After an error reply the retry delay doubles, up to this much."},
      {"idempotency", OptionType::boolean, "true",
       "Barrier: a branch skips a Try, Confirm or Cancel it has already executed."},
      {"null_compensation", OptionType::boolean, "true",
       "Barrier: a Cancel with no Try before it succeeds without touching money."},
      {"anti_hanging", OptionType::boolean, "true",
       "Barrier: a Try that arrives after its Cancel is refused (no reservation left hanging)."},
      {"transient_errors", OptionType::boolean, "false",
       "A Confirm/Cancel may first answer 'in progress' or 'error' (a choice)."},
      {"random_try_failure", OptionType::boolean, "false",
       "Each Try may also fail for business reasons (a choice the checker explores)."},
  };
}

std::span<const std::string_view> Tcc::phase_names() { return kPhaseNames; }

Tcc::Tcc(const Scenario& sc, const OptionValues& ov) {
  TXSIM_ASSERT_MSG(check_scenario(sc).empty(), "tcc: scenario not checked");
  for (NodeId n = 0; n < sc.nodes.size(); ++n) {
    node_names_.push_back(sc.nodes[n].name);
    if (sc.nodes[n].role == Role::coordinator) tm_ = n;
  }
  TXSIM_ASSERT(tm_ != kNoNode);
  accounts_ = sc.accounts;
  for (AccountId a = 0; a < sc.accounts.size(); ++a) account_labels_.push_back(sc.account_label(a));
  for (const TxSpec& spec : sc.transactions) {
    TxConfig c{spec.name, spec.participants, spec.vote_no, {}};
    TXSIM_ASSERT(std::is_sorted(c.branches.begin(), c.branches.end()));
    for (NodeId p : c.branches) c.deltas.push_back(deltas_at(spec, p));
    txs_.push_back(std::move(c));
  }
  opts_.try_timeout = ov.get_duration("try_timeout");
  opts_.retry_interval = std::max<Micros>(ov.get_duration("retry_interval"), 1);
  opts_.backoff_max = std::max(ov.get_duration("backoff_max"), opts_.retry_interval);
  opts_.idempotency = ov.get_bool("idempotency");
  opts_.null_compensation = ov.get_bool("null_compensation");
  opts_.anti_hanging = ov.get_bool("anti_hanging");
  opts_.transient_errors = ov.get_bool("transient_errors");
  opts_.random_try_failure = ov.get_bool("random_try_failure");
}

State Tcc::init(NodeId node) const {
  TXSIM_ASSERT(node < node_names_.size());
  State s;
  s.node = node;
  for (AccountId a = 0; a < accounts_.size(); ++a) {
    if (accounts_[a].owner == node) s.durable.wallets.push_back(Wallet{a, accounts_[a].initial});
  }
  return s;
}

State Tcc::restore(NodeId node, const Durable& disk) const {
  TXSIM_ASSERT(node < node_names_.size());
  return State{node, disk, Volatile{}};
}

void Tcc::on_message(State& s, Fx& fx, NodeId from, const Msg& msg) const {
  TXSIM_ASSERT(s.node == fx.self());
  std::visit([&](const auto& m) { handle(s, fx, from, m); }, msg);
}

void Tcc::on_timer(State& s, Fx& fx, TimerId timer) const {
  TXSIM_ASSERT(s.node == fx.self() && s.node == tm_);
  switch (timer_kind(timer)) {
    case TimerKind::try_timeout:
      return on_try_timeout(s, fx, timer_tx(timer));
    case TimerKind::retry:
      return on_retry(s, fx, timer_tx(timer), timer_slot(timer));
  }
  TXSIM_ASSERT_MSG(false, "tcc: unknown timer kind");
}

void Tcc::on_recover(State& s, Fx& fx) const {
  TXSIM_ASSERT(s.node == fx.self());
  if (s.node == tm_) recover_tm(s, fx);
  // A branch keeps nothing volatile: its barrier rows and wallets are all it needs.
}

MsgClass Tcc::msg_class(const Msg& msg) const {
  switch (msg.index()) {
    case 0: return MsgClass::prepare;   // Try
    case 1: return MsgClass::vote;      // TryReply
    case 2:                             // Confirm
    case 3: return MsgClass::decision;  // Cancel
    default: return MsgClass::ack;      // ConfirmReply, CancelReply
  }
}

// The Try timeout waits for the branches that have not answered; a retry for its one branch.
NodeMask Tcc::timer_peers(const State& s, TimerId timer) const {
  const TxId tx = timer_tx(timer);
  if (tx >= txs_.size()) return 0;
  const TxConfig& c = txs_[tx];
  if (timer_kind(timer) == TimerKind::retry) {
    return timer_slot(timer) < c.branches.size() ? node_bit(c.branches[timer_slot(timer)]) : 0;
  }
  const Trying* t = find_key(s.vol.trying, tx);
  NodeMask mask = 0;
  for (NodeId b : c.branches) {
    if (t == nullptr || !std::binary_search(t->ok.begin(), t->ok.end(), b)) mask |= node_bit(b);
  }
  return mask;
}

const TxConfig& Tcc::tx_config(TxId tx) const {
  TXSIM_ASSERT(tx < txs_.size());
  return txs_[tx];
}

std::uint32_t Tcc::slot_of(TxId tx, NodeId branch) const {
  const TxConfig& c = tx_config(tx);
  auto it = std::lower_bound(c.branches.begin(), c.branches.end(), branch);
  TXSIM_ASSERT_MSG(it != c.branches.end() && *it == branch, "tcc: not a branch of tx");
  return static_cast<std::uint32_t>(it - c.branches.begin());
}

const std::vector<Delta>& Tcc::deltas_of(TxId tx, NodeId branch) const {
  return tx_config(tx).deltas[slot_of(tx, branch)];
}

void Tcc::observe_phase(Fx& fx, TxId tx, Phase phase) const {
  fx.observe(ObsKind::phase, tx, static_cast<std::int32_t>(phase));
}

}  // namespace txsim::tcc
