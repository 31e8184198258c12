// RunResult: the verdict of one simulated run, as the CLI prints it and sweeps aggregate it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/invariant.h"
#include "sim/scenario.h"
#include "sim/types.h"

namespace txsim {

enum class EndReason : std::uint8_t { quiescent, time_limit, event_limit, violation };
std::string_view to_string(EndReason reason);

struct TxResult {
  Outcome outcome = Outcome::undecided;
  Micros submitted = 0;
  Micros decided = -1;    // first decision by any node (the coordinator's, normally)
  Micros completed = -1;  // when the last participant learned the outcome
  std::uint64_t messages = 0;  // messages sent about this transaction
  // Message delays: the length of the causal chain of messages from the submission to the
  // first decision, and to the last participant's (Gray & Lamport's measure of latency).
  std::uint32_t decided_hops = 0, completed_hops = 0;
};

struct InvariantResult {
  std::string id;
  InvariantKind kind = InvariantKind::always;
  bool evaluated = false;  // quiescent invariants are not judged if the run never settled
  bool violated = false;
  Micros at = -1;
  std::string detail;
};

struct DoubtResult {  // one participant's time in doubt about one transaction
  NodeId node = kNoNode;
  TxId tx = kNoTx;
  Micros in_doubt = 0;      // voted yes -> learned the outcome (or the run's end)
  Micros locked = 0;        // the part of it spent holding locks
  bool unresolved = false;  // still in doubt when the run ended
};

struct RunResult {
  std::string protocol;
  std::uint64_t seed = 0;
  EndReason end = EndReason::quiescent;
  Micros end_time = 0;
  std::uint64_t events = 0;
  std::uint64_t sent = 0, delivered = 0, dropped = 0, duplicated = 0, timers = 0;
  std::uint64_t crashes = 0, partitions = 0;
  std::map<std::string, std::uint64_t> sent_by_type;
  std::vector<TxResult> txs;
  std::vector<InvariantResult> invariants;  // standard_invariants() order
  std::vector<DoubtResult> doubt;           // only entries with in_doubt > 0
  std::vector<std::string> expectation_misses;  // empty: the scenario's expect: was met

  bool violated() const;
  bool blocked() const;  // a participant was still in doubt at the end
  const InvariantResult* first_violation() const;
};

// Compares a run with the scenario's `expect:` block; fills result.expectation_misses.
void judge_expectation(const Scenario& sc, RunResult& result);

}  // namespace txsim
