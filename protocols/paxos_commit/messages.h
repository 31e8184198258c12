// Paxos Commit messages: the small values the leader, the resource managers (RMs) and the
// acceptors exchange.
//
// Source: Gray & Lamport, "Consensus on Transaction Commit", ACM TODS 31(1), 2006, section 4
// (BeginCommit / Prepare, the phase 2a message an RM sends at ballot 0, phase 2b to the leader,
// Commit / Abort) and section 4.1's remark that the messages of all instances of one
// transaction can be bundled: phase 1a, 1b, 2a and 2b here carry one slot per instance.
//
// Invariants: every message is about exactly one transaction. Instance i of a transaction is
// its i-th participant (ascending node id); slot i of `Slots` / `Values` belongs to it and
// slots past the participant count stay empty. A ballot is 0 (an RM's own vote) or
// round * node_count + owner with round >= 1, so every ballot has exactly one owner, the only
// node that proposes in it. The type names are what scenario triggers match.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <variant>

#include "sim/types.h"

namespace txsim::paxos_commit {

using Ballot = std::uint16_t;
using AcceptorMask = std::uint16_t;  // bit i = the i-th acceptor
inline constexpr std::size_t kInstancesMax = 8;  // RMs per transaction
inline constexpr std::size_t kAcceptorsMax = 15;

// The value of one consensus instance. `none`: nothing (proposed, accepted, learned) yet.
enum class Value : std::uint8_t { none = 0, prepared, aborted };

struct Accepted {  // what an acceptor accepted in one instance: (bal, val), or nothing
  Ballot bal = 0;
  Value val = Value::none;
  bool operator==(const Accepted&) const = default;
};

using Values = std::array<Value, kInstancesMax>;
using Slots = std::array<Accepted, kInstancesMax>;

struct Prepare {  // leader -> RM: BeginCommit, "prepare and vote"
  TxId tx = kNoTx;
  bool operator==(const Prepare&) const = default;
};

struct Phase1a {  // leader candidate -> acceptors: "promise me ballot, tell me what you took"
  TxId tx = kNoTx;
  Ballot ballot = 0;
  bool operator==(const Phase1a&) const = default;
};

struct Phase1b {  // acceptor -> candidate: the promise, and what it accepted per instance
  TxId tx = kNoTx;
  Ballot ballot = 0;
  Slots accepted{};
  bool operator==(const Phase1b&) const = default;
};

// Proposes `values` (the set slots) in `ballot`. At ballot 0 it is an RM's vote on its own
// instance (one slot set); at a higher ballot a leader's proposal for every instance.
struct Phase2a {
  TxId tx = kNoTx;
  Ballot ballot = 0;
  Values values{};
  bool operator==(const Phase2a&) const = default;
};

struct Phase2b {  // acceptor -> ballot's owner: "I accepted these slots in ballot"
  TxId tx = kNoTx;
  Ballot ballot = 0;
  Values values{};
  bool operator==(const Phase2b&) const = default;
};

struct Commit {  // leader (or an RM that knows) -> RM: every instance chose Prepared
  TxId tx = kNoTx;
  bool operator==(const Commit&) const = default;
};

struct Abort {  // leader (or an RM that knows) -> RM: some instance chose Aborted
  TxId tx = kNoTx;
  bool operator==(const Abort&) const = default;
};

struct Query {  // in-doubt RM -> the initial leader and the other RMs: "what happened to tx?"
  TxId tx = kNoTx;
  bool operator==(const Query&) const = default;
};

using Msg = std::variant<Prepare, Phase1a, Phase1b, Phase2a, Phase2b, Commit, Abort, Query>;

// Indexed by Msg::index(); the order follows the variant.
inline constexpr std::array<std::string_view, std::variant_size_v<Msg>> kMsgNames = {
    "Prepare", "Phase1a", "Phase1b", "Phase2a", "Phase2b", "Commit", "Abort", "Query"};

// A 64-bit hash for the model checker: the variant index, then the fields (hash.cc).
std::uint64_t hash(const Msg& msg);

inline TxId tx_of(const Msg& msg) {
  return std::visit([](const auto& m) { return m.tx; }, msg);
}

}  // namespace txsim::paxos_commit
