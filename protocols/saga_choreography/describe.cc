// Choreography, printing: message details, timer names and service states as JSON for traces,
// timelines and the GUI. A service's state shows its step records, its view of each saga (what
// it knows, which is all a choreography has instead of a saga log), its outbox and balances.
// Keys always come in the same order, so the same state prints as the same bytes. Sources: see
// choreography.h.
#include <string>
#include <variant>

#include "protocols/common/json_parts.h"
#include "protocols/saga_choreography/choreography.h"
#include "sim/json.h"

namespace txsim::choreo {
namespace {

// "[reserve, charge]": the names of the steps whose bit is set in `mask`.
std::string step_names(const saga::SagaConfig& c, std::uint32_t mask) {
  std::string out;
  for (std::size_t i = 0; i < c.steps.size(); ++i) {
    if ((mask & (std::uint32_t{1} << i)) == 0) continue;
    if (!out.empty()) out += ',';
    out += quoted(c.steps[i].name);
  }
  return wrap("[", out, "]");
}

}  // namespace

std::string Choreography::describe(const Msg& msg) const {
  const TxId tx = choreo::tx_of(msg);
  std::string out;
  const auto [step, what] = std::visit(
      [](const auto& m) { return std::pair<std::uint16_t, What>{m.step, m.what}; }, msg);
  if (std::holds_alternative<Ack>(msg)) member(out, "of", quoted(kEventNames[std::size_t(what)]));
  if (what != What::begun && tx < saga_of_tx_.size() && step < saga_of(tx).config.steps.size())
    member(out, "step", quoted(saga_of(tx).config.steps[step].name));
  return wrap("{", out, "}");
}

std::string Choreography::timer_name(TimerId timer) const {
  const TxId tx = timer_tx(timer);
  std::string out = timer_kind(timer) == TimerKind::redeliver ? "redeliver " : "retry ";
  out += tx < tx_names_.size() ? tx_names_[tx] : std::to_string(tx);
  if (timer_kind(timer) == TimerKind::retry && tx < saga_of_tx_.size() &&
      timer_step(timer) < saga_of(tx).config.steps.size()) {
    out += ' ';
    out += saga_of(tx).config.steps[timer_step(timer)].name;
  }
  return out;
}

std::string Choreography::describe_state(const State& s) const {
  std::string records, views, outbox, wallets;
  for (const StepRecord& r : s.durable.records) {
    const TxId tx = TxId(r.key >> 16);
    std::string key(tx_names_[tx]);
    key.append(".").append(saga_of(tx).config.steps[r.key & 0xFFFF].name);
    std::string v;
    member(v, "applied", std::to_string(r.applied));
    member(v, "compensated", std::to_string(r.compensated));
    if (r.failed) member(v, "failed", "true");
    if (r.cancelled) member(v, "cancelled", "true");
    if (r.manual) member(v, "manual", "true");
    member(records, key, wrap("{", v, "}"));
  }
  for (const View& w : s.durable.views) {
    const saga::SagaConfig& c = saga_of(w.tx).config;
    std::string v;
    member(v, "begun", w.begun ? "true" : "false");
    member(v, "done", step_names(c, w.done));
    if (w.failed != 0) member(v, "failed", step_names(c, w.failed));
    if (w.compensated != 0) member(v, "compensated", step_names(c, w.compensated));
    if (w.finished) member(v, "finished", "true");
    member(views, tx_names_[w.tx], wrap("{", v, "}"));
  }
  for (const Outgoing& o : s.durable.outbox) {
    std::string e(kEventNames[std::size_t(o.what)]);
    if (o.what != What::begun) e.append(" ").append(saga_of(o.tx).config.steps[o.step].name);
    e.append(" -> ").append(node_names_[o.to]);
    if (!outbox.empty()) outbox += ',';
    outbox += quoted(e);
  }
  for (const Wallet& w : s.durable.wallets)
    member(wallets, account_labels_[w.account], std::to_string(w.balance));
  std::string durable;
  member(durable, "steps", wrap("{", records, "}"));
  member(durable, "views", wrap("{", views, "}"));
  member(durable, "outbox", wrap("[", outbox, "]"));
  member(durable, "balances", wrap("{", wallets, "}"));
  return wrap("{\"durable\":{", durable, "},\"volatile\":{}}");
}

}  // namespace txsim::choreo
