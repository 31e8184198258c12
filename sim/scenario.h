// Scenario: the loaded, validated form of a scenario YAML file (docs/scenarios.md).
//
// Everything here is already resolved: node, account and transaction names are dense ids
// (declaration order), durations are microseconds, every option has a value. The simulator,
// the checker, the protocols and the GUI read this; only scenario_loader.cc reads YAML.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/distribution.h"
#include "sim/msg_class.h"
#include "sim/options.h"
#include "sim/saga_spec.h"
#include "sim/types.h"

namespace txsim {

enum class Role : std::uint8_t { coordinator, participant, acceptor, service, orchestrator };
std::string_view to_string(Role role);

struct ClockSpec {
  Micros skew = 0;        // local = skew + true_time * (1 + drift_ppm / 1e6)
  double drift_ppm = 0;
  bool operator==(const ClockSpec&) const = default;
};

struct NodeSpec {
  std::string name;
  Role role = Role::participant;
  ClockSpec clock;
};

struct AccountSpec {
  std::string name;        // unique per owner; shown as "P1.a"
  NodeId owner = kNoNode;
  std::int64_t initial = 0;
  // `{initial: N, kind: stock}`: the account counts goods, not money. money-conservation sums
  // only money accounts and stock-conservation only stock ones, so the two never hide each
  // other (a unit of stock created is not a euro destroyed).
  bool stock = false;
};

struct TransferSpec {
  NodeId at = kNoNode;
  AccountId account = kNoAccount;
  std::int64_t amount = 0;  // signed: negative debits, positive credits
};

struct TxSpec {
  std::string name;
  Micros at = 0;                       // when the client submits it
  std::vector<TransferSpec> transfers;
  std::vector<NodeId> participants;    // distinct nodes of the transfers, ascending
  std::vector<NodeId> vote_no;         // participants scripted to vote no, ascending
};

struct LinkSpec {       // an override for messages from -> to (kNoNode: any node)
  NodeId from = kNoNode;
  NodeId to = kNoNode;
  std::optional<Distribution> latency;
  std::optional<double> loss;
  std::optional<double> duplicate;
};

struct NetworkSpec {
  Distribution latency = Distribution::uniform(ms(1), ms(5));
  double loss = 0;
  double duplicate = 0;
  bool fifo = true;
  std::vector<LinkSpec> links;  // later entries win
};

// When a fault fires: at a virtual time, or on the count-th trace event that matches.
struct TriggerSpec {
  enum class Kind : std::uint8_t { at_time, sent, delivered, state };
  Kind kind = Kind::at_time;
  Micros at = 0;                  // at_time
  NodeId from = kNoNode;          // sent / delivered: sender (kNoNode: any)
  NodeId to = kNoNode;            // sent / delivered: receiver (kNoNode: any)
  std::string msg_type;           // sent / delivered: message type name ("" any)
  std::optional<MsgClass> msg_class;  // sent / delivered: protocol-neutral class (any if unset)
  NodeId node = kNoNode;          // state: which node (kNoNode: any)
  std::string phase;              // state: phase name it enters
  TxId tx = kNoTx;                // state / sent / delivered: only this tx (kNoTx: any)
  std::uint32_t count = 1;        // fire on the count-th match
};

struct FaultAction {
  enum class Kind : std::uint8_t { crash, recover, partition, heal, drop, delay, crash_during };
  Kind kind = Kind::crash;
  NodeId node = kNoNode;                      // crash / recover / crash_during
  Micros recover_after = -1;                  // crash: recover after this long (-1: never)
  std::vector<std::vector<NodeId>> groups;    // partition: symmetric groups (complete cover)
  std::vector<NodeId> cut_from, cut_to;       // partition: one-way cut (from -> to lost)
  Micros delay = 0;                           // delay: extra latency of the matched message
  std::uint32_t after_effects = 0;            // crash_during: crash after k effects of the
                                              // node's next handler
};

struct FaultSpec {
  TriggerSpec when;
  FaultAction action;
  int line = 0;  // in the scenario file, for messages
};

struct RunLimits {
  Micros time_limit = sec(60);
  std::uint64_t max_events = 10'000'000;
  bool stop_on_violation = false;
};

enum class Outcome : std::uint8_t { commit, abort, undecided, mixed };
std::string_view to_string(Outcome outcome);

// The model checker's budget (`check:`): how many faults of each kind it may inject on any
// path, which partitions it may start, and its timing model. docs/scenarios.md#check.
struct CheckBudget {
  enum class Timeouts : std::uint8_t { asynchronous, synchronous };
  bool present = false;  // the file has a `check:` block
  std::uint32_t crashes = 0, drops = 0, duplicates = 0, partitions = 0;
  // Partitions the checker may start (each a list of groups); empty: every two-way split.
  std::vector<std::vector<std::vector<NodeId>>> partition_choices;
  Timeouts timeouts = Timeouts::asynchronous;
  std::uint32_t liveness_depth = 40;  // bound of the fault-free continuation (blocking check)
  std::uint64_t max_states = 0;       // 0: no limit
  std::uint32_t max_depth = 0;        // 0: no limit
  bool symmetry = false;              // reduce over interchangeable participants
  int symmetry_line = 0, symmetry_col = 0;  // where `symmetry` is written, for messages
  bool blocking = true;               // also report blocking states (not only invariants)
};

struct Expectation {
  std::optional<Outcome> outcome;          // every transaction
  std::map<TxId, Outcome> outcomes;        // per transaction
  std::optional<std::string> violation;    // invariant id, or "none"
  std::optional<bool> blocked;             // run ended with a participant in doubt
  std::optional<std::string> check;        // checker verdict: ok | blocking | invariant id
  // Side-by-side scenarios: `expect: {<protocol>: {...}}` overrides, field by field, what the
  // block says for every protocol (a vector: Expectation is incomplete here).
  std::vector<std::pair<std::string, Expectation>> by_protocol;

  // Nothing about a simulated run is expected (a `check:`-only expectation is not a run's).
  bool empty() const { return !outcome && outcomes.empty() && !violation && !blocked; }
  // What is expected of `protocol`: this block with the protocol's overrides applied.
  Expectation for_protocol(std::string_view protocol) const;
};

struct Scenario {
  std::string file;        // as given on the command line
  std::string name;
  std::string explain;
  std::vector<std::string> protocols;
  std::vector<NodeSpec> nodes;
  std::vector<AccountSpec> accounts;
  std::vector<TxSpec> transactions;
  SagaSpec saga;           // the `saga:` block (empty without one)
  NetworkSpec network;
  std::vector<FaultSpec> faults;
  RunLimits limits;
  std::uint64_t seed = 1;
  Expectation expect;
  CheckBudget check;
  std::map<std::string, OptionValues> options;  // per protocol name, defaults filled in

  std::optional<NodeId> node_by_name(std::string_view name) const;
  std::vector<NodeId> nodes_with_role(Role role) const;
  std::string account_label(AccountId a) const;  // "P1.a"
  std::optional<TxId> tx_by_name(std::string_view name) const;
};

}  // namespace txsim
