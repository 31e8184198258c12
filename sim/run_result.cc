#include "sim/run_result.h"

namespace txsim {

std::string_view to_string(EndReason r) {
  switch (r) {
    case EndReason::quiescent: return "quiescent";
    case EndReason::time_limit: return "time limit";
    case EndReason::event_limit: return "event limit";
    case EndReason::violation: return "stopped at first violation";
  }
  return "?";
}

bool RunResult::violated() const { return first_violation() != nullptr; }

const InvariantResult* RunResult::first_violation() const {
  const InvariantResult* first = nullptr;
  for (const auto& r : invariants)
    if (r.violated && (!first || r.at < first->at)) first = &r;
  return first;
}

bool RunResult::blocked() const {
  for (const auto& d : doubt)
    if (d.unresolved) return true;
  return false;
}

void judge_expectation(const Scenario& sc, RunResult& r) {
  const Expectation e = sc.expect.for_protocol(r.protocol);
  auto& miss = r.expectation_misses;
  miss.clear();
  auto want = [&](TxId t, Outcome o) {
    if (r.txs[t].outcome != o)
      miss.push_back("expected " + sc.transactions[t].name + " outcome " +
                     std::string(to_string(o)) + ", got " +
                     std::string(to_string(r.txs[t].outcome)));
  };
  if (e.outcome)
    for (TxId t = 0; t < r.txs.size(); ++t) want(t, *e.outcome);
  for (const auto& [t, o] : e.outcomes) want(t, o);
  if (e.violation) {
    if (*e.violation == "none") {
      for (const auto& inv : r.invariants)
        if (inv.violated) miss.push_back("expected no violation, " + inv.id + " broke");
    } else {
      bool found = false;
      for (const auto& inv : r.invariants) found |= inv.violated && inv.id == *e.violation;
      if (!found) miss.push_back("expected " + *e.violation + " to break, it held");
    }
  }
  if (e.blocked && *e.blocked != r.blocked())
    miss.push_back(*e.blocked ? "expected a participant to stay blocked in doubt, none did"
                              : "expected no participant to stay blocked, one did");
}

}  // namespace txsim
