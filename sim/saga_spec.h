// SagaSpec: the resolved form of a scenario's `saga:` block (docs/scenarios.md#saga).
//
// A saga (Garcia-Molina and Salem, "Sagas", SIGMOD 1987) is a set of steps, each a local
// transaction at one service with a compensation that semantically undoes it. Steps are
// classified as in microservice practice (C. Richardson, "Microservices Patterns", ch. 4):
// compensatable steps may be undone, the pivot is the go/no-go point, retriable steps follow
// the pivot and are retried until they succeed. `after:` edges make the steps a DAG, so
// independent branches may run in parallel.
//
// Invariants kept by the loader (sim/scenario_saga.cc): step names are unique within a saga;
// `after` indexes name other steps of the same saga and form no cycle; every step's service
// has role `services:` and owns the accounts of its action and compensation; a compensatable
// step has a compensation and runs before every pivot; no two pivots are on one path; every
// transaction runs at most one saga (saga_of_tx).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/types.h"

namespace txsim {

enum class SagaStepKind : std::uint8_t { compensatable, pivot, retriable };
std::string_view to_string(SagaStepKind kind);

struct SagaTransfer {
  AccountId account = kNoAccount;  // owned by the step's service
  std::int64_t amount = 0;         // signed: negative debits, positive credits
  bool operator==(const SagaTransfer&) const = default;
};

struct SagaStep {
  std::string name;
  NodeId service = kNoNode;
  SagaStepKind kind = SagaStepKind::compensatable;
  std::vector<SagaTransfer> action;        // may be empty: a step that moves no money
  bool compensable = true;                 // false: `compensation: none`
  // `compensation: restore`: write back the balances from before the action (a before-image)
  // instead of applying an inverse - the wrong way, which loses concurrent sagas' updates.
  bool restore = false;
  std::vector<SagaTransfer> compensation;  // the inverse of the action unless given
  std::vector<std::size_t> after;          // indexes of the steps it waits for, ascending
  // Scripted failures: the step's action fails on every attempt (`fails: true`) or on its
  // first `fails_first` attempts (`fails: 2`, forward recovery of a retriable step).
  bool fails_always = false;
  std::uint32_t fails_first = 0;
  // The service's behaviour (`service_options`): duplicates skipped, a compensation that
  // overtakes its action cancels it, the compensation fails on its first N attempts.
  bool idempotent = true;
  bool commutative = true;
  std::uint32_t compensation_fails = 0;
  // `status_after: D`: once its action ran, the service asks the orchestrator for the saga's
  // status every D until it learns the saga ended (0: never asks). Orchestrated sagas only.
  Micros status_after = 0;
  int line = 0;  // of the step in the scenario file, for messages
};

struct SagaDef {
  std::string name;
  std::vector<SagaStep> steps;  // in file order; ids are indexes
  std::vector<TxId> runs;       // the workload transactions that are instances of this saga
};

struct SagaSpec {
  std::vector<SagaDef> sagas;
  std::vector<std::int32_t> saga_of_tx;  // per transaction: index into sagas, or -1

  bool present() const { return !sagas.empty(); }
  const SagaDef* saga_of(TxId tx) const {
    if (tx >= saga_of_tx.size() || saga_of_tx[tx] < 0) return nullptr;
    return &sagas[static_cast<std::size_t>(saga_of_tx[tx])];
  }
};

}  // namespace txsim
