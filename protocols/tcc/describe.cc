// TCC, printing: message details, timer names and node states as JSON for traces, timelines
// and the GUI. Names (of nodes, accounts, transactions) replace ids wherever the protocol
// knows them, and keys always come in the same order, so the same state prints as the same
// bytes. Sources: see tcc.h.
#include <string>
#include <variant>

#include "protocols/tcc/tcc.h"
#include "protocols/common/json_parts.h"
#include "sim/json.h"

namespace txsim::tcc {
namespace {
std::string_view reply_name(Reply r) {
  switch (r) {
    case Reply::ok: return "ok";
    case Reply::failure: return "failure";
    case Reply::in_progress: return "in_progress";
    case Reply::error: return "error";
  }
  return "?";
}

std::string_view status_name(GlobalStatus s) {
  switch (s) {
    case GlobalStatus::trying: return "trying";
    case GlobalStatus::confirming: return "confirming";
    case GlobalStatus::cancelling: return "cancelling";
    case GlobalStatus::confirmed: return "confirmed";
    case GlobalStatus::cancelled: return "cancelled";
  }
  return "?";
}

std::string ops_json(const Barrier& b) {
  std::string ops;
  if (b.tried) item(ops, "\"try\"");
  if (b.confirmed) item(ops, "\"confirm\"");
  if (b.cancelled) item(ops, b.null_cancelled ? "\"null-cancel\"" : "\"cancel\"");
  return wrap("[", ops, "]");
}

}  // namespace

std::string Tcc::describe(const Msg& msg) const {
  if (std::holds_alternative<Try>(msg) || std::holds_alternative<Confirm>(msg) ||
      std::holds_alternative<Cancel>(msg)) {
    return "{}";
  }
  return wrap("{\"status\":", quoted(reply_name(status_of(msg))), "}");
}

std::string Tcc::timer_name(TimerId timer) const {
  const TxId tx = timer_tx(timer);
  const std::string name = tx < txs_.size() ? txs_[tx].name : wrap("#", std::to_string(tx), "");
  switch (timer_kind(timer)) {
    case TimerKind::try_timeout: {
      std::string out = "try-timeout ";
      out += name;
      return out;
    }
    case TimerKind::retry: {
      std::string out = "retry ";
      out += name;
      const std::uint32_t slot = timer_slot(timer);
      if (tx < txs_.size() && slot < txs_[tx].branches.size()) {
        out += ' ';
        out += node_names_[txs_[tx].branches[slot]];
      }
      return out;
    }
  }
  return wrap("timer ", std::to_string(timer), "");
}

std::string Tcc::describe_state(const State& s) const {
  std::string durable;
  std::string vol;
  if (s.node == tm_) describe_tm(s, durable, vol);
  if (s.node != tm_) describe_branch(s, durable);
  return wrap("{\"durable\":", wrap("{", durable, "}"), ",") + wrap("\"volatile\":{", vol, "}}");
}

void Tcc::describe_tm(const State& s, std::string& durable, std::string& vol) const {
  std::string global;
  for (const GlobalTx& g : s.durable.global) {
    member(global, txs_[g.tx].name, quoted(status_name(g.status)));
  }
  member(durable, "global", wrap("{", global, "}"));
  std::string trying;
  for (const Trying& t : s.vol.trying) {
    std::string ok;
    for (NodeId n : t.ok) item(ok, node_json(n));
    member(trying, txs_[t.tx].name, wrap("{\"ok\":[", ok, "]}"));
  }
  member(vol, "trying", wrap("{", trying, "}"));
  std::string finishing;
  for (const Finishing& f : s.vol.finishing) {
    std::string waiting;
    for (const Outstanding& o : f.waiting) {
      member(waiting, node_names_[o.branch], std::to_string(backoff(o.doublings)));
    }
    member(finishing, txs_[f.tx].name, wrap("{\"waiting_retry_us\":{", waiting, "}}"));
  }
  member(vol, "finishing", wrap("{", finishing, "}"));
}

void Tcc::describe_branch(const State& s, std::string& durable) const {
  std::string barrier;
  for (const Barrier& b : s.durable.barriers) member(barrier, txs_[b.tx].name, ops_json(b));
  member(durable, "barrier", wrap("{", barrier, "}"));
  std::string wallets;
  for (const Wallet& w : s.durable.wallets) {
    std::string fields;
    member(fields, "balance", std::to_string(w.balance));
    member(fields, "frozen", std::to_string(w.frozen));
    member(fields, "pending", std::to_string(w.pending));
    member(wallets, account_labels_[w.account], wrap("{", fields, "}"));
  }
  member(durable, "wallets", wrap("{", wallets, "}"));
}

std::string Tcc::tx_json(TxId tx) const {
  return tx < txs_.size() ? quoted(txs_[tx].name) : std::to_string(tx);
}

std::string Tcc::node_json(NodeId n) const {
  return n < node_names_.size() ? quoted(node_names_[n]) : std::to_string(n);
}

}  // namespace txsim::tcc
