// Two-phase commit messages: the small values the coordinator and the participants exchange.
//
// Sources: Gray & Reuter, "Transaction Processing: Concepts and Techniques", ch. 10 (Prepare,
// Vote, Commit/Abort, Ack); Bernstein, Hadzilacos & Goodman, "Concurrency Control and Recovery
// in Database Systems", ch. 7 (the termination protocol: Query, and the cooperative variant's
// PeerQuery / PeerReply); Mohan, Lindsay & Obermarck, "Transaction management in the R*
// distributed database management system" (TODS 1986) for presumed abort, which is why Abort
// needs no Ack.
//
// Invariants: every message is about exactly one transaction; the type names below are the ones
// scenario triggers and timelines use, so they must not change.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <variant>

#include "sim/types.h"

namespace txsim::two_phase {

struct Prepare {  // coordinator -> participant: phase one, "can you commit tx?"
  TxId tx = kNoTx;
  bool operator==(const Prepare&) const = default;
};

struct Vote {  // participant -> coordinator: the answer to Prepare
  TxId tx = kNoTx;
  bool yes = false;
  bool operator==(const Vote&) const = default;
};

struct Commit {  // coordinator -> participant: phase two, the outcome is commit
  TxId tx = kNoTx;
  bool operator==(const Commit&) const = default;
};

struct Abort {  // coordinator -> participant: the outcome is abort (never acknowledged)
  TxId tx = kNoTx;
  bool operator==(const Abort&) const = default;
};

struct Ack {  // participant -> coordinator: Commit applied; lets the coordinator forget tx
  TxId tx = kNoTx;
  bool operator==(const Ack&) const = default;
};

struct Query {  // in-doubt participant -> coordinator: "what happened to tx?"
  TxId tx = kNoTx;
  bool operator==(const Query&) const = default;
};

struct PeerQuery {  // in-doubt participant -> other participants (cooperative termination)
  TxId tx = kNoTx;
  bool operator==(const PeerQuery&) const = default;
};

// What a peer knows about tx. `unknown`: the peer is in doubt itself.
enum class PeerOutcome : std::uint8_t { commit, abort, unknown };

struct PeerReply {  // participant -> in-doubt participant: the answer to PeerQuery
  TxId tx = kNoTx;
  PeerOutcome outcome = PeerOutcome::unknown;
  bool operator==(const PeerReply&) const = default;
};

using Msg = std::variant<Prepare, Vote, Commit, Abort, Ack, Query, PeerQuery, PeerReply>;

// Indexed by Msg::index(); the order follows the variant.
inline constexpr std::array<std::string_view, std::variant_size_v<Msg>> kMsgNames = {
    "Prepare", "Vote", "Commit", "Abort", "Ack", "Query", "PeerQuery", "PeerReply"};

// A 64-bit hash for the model checker: the variant index, then the fields (hash.cc).
std::uint64_t hash(const Msg& msg);

inline TxId tx_of(const Msg& msg) {
  return std::visit([](const auto& m) { return m.tx; }, msg);
}

}  // namespace txsim::two_phase
