// Saga, printing: message details, timer names and node states as JSON for traces, timelines
// and the GUI (the saga log doubles as the status query: each saga's status and each step's
// state). Names replace ids wherever the protocol knows them; keys always come in the same
// order, so the same state prints as the same bytes. Sources: see saga.h.
#include <string>
#include <variant>

#include "protocols/saga/saga.h"
#include "protocols/common/json_parts.h"
#include "sim/json.h"

namespace txsim::saga {
namespace {
std::string_view status_name(SagaStatus s) {
  static constexpr std::string_view kNames[] = {"executing", "compensating", "done", "failed",
                                                "manual"};
  return kNames[std::size_t(s)];
}

std::string_view state_name(StepState s) {
  static constexpr std::string_view kNames[] = {"pending", "running",      "done",
                                                "failed",  "compensating", "compensated"};
  return kNames[std::size_t(s)];
}

}  // namespace

std::string Saga::describe(const Msg& msg) const {
  const TxId tx = saga::tx_of(msg);
  std::string out;
  if (msg.index() <= 3 && tx < saga_of_tx_.size() && step_of(msg) < config(tx).steps.size())
    member(out, "step", quoted(config(tx).steps[step_of(msg)].name));
  if (msg.index() == 1 || msg.index() == 3) member(out, "ok", ok_of(msg) ? "true" : "false");
  if (const auto* m = std::get_if<Status>(&msg); m && tx < saga_of_tx_.size() &&
                                                 m->step < config(tx).steps.size())
    member(out, "step", quoted(config(tx).steps[m->step].name));
  if (const auto* m = std::get_if<StatusReply>(&msg); m && m->status <= 4)
    member(out, "status", quoted(status_name(SagaStatus(m->status))));
  return wrap("{", out, "}");
}

std::string Saga::timer_name(TimerId timer) const {
  const TxId tx = timer_tx(timer);
  std::string out = timer_kind(timer) == TimerKind::notify   ? "notify "
                    : timer_kind(timer) == TimerKind::status ? "status "
                                                             : "step ";
  out += tx < tx_names_.size() ? tx_names_[tx] : std::to_string(tx);
  if (timer_kind(timer) != TimerKind::notify && tx < saga_of_tx_.size() &&
      timer_step(timer) < config(tx).steps.size()) {
    out += ' ';
    out += config(tx).steps[timer_step(timer)].name;
  }
  return out;
}

std::string Saga::describe_state(const State& s) const {
  std::string durable, vol;
  if (s.node == orchestrator_) {
    std::string logs;
    for (const SagaLog& log : s.durable.logs) {
      std::string steps;
      for (std::size_t i = 0; i < log.steps.size(); ++i) {
        std::string v(quoted(state_name(log.steps[i].state)));
        if (log.steps[i].failures > 0) {
          v = wrap("{\"state\":", v, ",");
          v += wrap("\"failures\":", std::to_string(log.steps[i].failures), "}");
        }
        member(steps, config(log.tx).steps[i].name, v);
      }
      std::string entry;
      member(entry, "status", quoted(status_name(log.status)));
      member(entry, "steps", wrap("{", steps, "}"));
      member(logs, tx_names_[log.tx], wrap("{", entry, "}"));
    }
    member(durable, "saga_log", wrap("{", logs, "}"));
    std::string waiting;
    for (const Notifying& n : s.vol.notifying)
      member(waiting, tx_names_[n.tx], std::to_string(n.waiting.size()));
    member(vol, "notifying", wrap("{", waiting, "}"));
  } else {
    std::string records;
    for (const StepRecord& r : s.durable.records) {
      const TxId tx = TxId(r.key >> 16);
      std::string key(tx_names_[tx]);
      key.append(".").append(config(tx).steps[r.key & 0xFFFF].name);
      std::string v;
      member(v, "applied", std::to_string(r.applied));
      member(v, "compensated", std::to_string(r.compensated));
      if (r.cancelled) member(v, "cancelled", "true");
      if (r.status_seen > 0 && r.status_seen <= 5)
        member(v, "saga_status", quoted(status_name(SagaStatus(r.status_seen - 1))));
      member(records, key, wrap("{", v, "}"));
    }
    member(durable, "steps", wrap("{", records, "}"));
    std::string wallets;
    for (const Wallet& w : s.durable.wallets)
      member(wallets, account_labels_[w.account], std::to_string(w.balance));
    member(durable, "balances", wrap("{", wallets, "}"));
  }
  std::string out = wrap("{\"durable\":", wrap("{", durable, "}"), ",");
  out += wrap("\"volatile\":{", vol, "}}");
  return out;
}

}  // namespace txsim::saga
