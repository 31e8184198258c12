// Three-phase commit messages: the small values the coordinator, the participants and an
// elected termination leader exchange.
//
// Sources: Skeen, "Nonblocking commit protocols", SIGMOD 1981 (CanCommit / Yes-No / PreCommit /
// DoCommit, and the acknowledgement of PreCommit that makes a commit decision safe); Bernstein,
// Hadzilacos & Goodman, "Concurrency Control and Recovery in Database Systems", ch. 7 (the
// termination protocol: an elected participant collects the others' states with a state
// request and decides by the termination rules).
//
// Invariants: every message is about exactly one transaction; the type names below are the ones
// scenario triggers and timelines use, so they must not change.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <variant>

#include "sim/types.h"

namespace txsim::three_phase {

struct CanCommit {  // coordinator -> participant: phase one, "can you commit tx?"
  TxId tx = kNoTx;
  bool operator==(const CanCommit&) const = default;
};

struct Vote {  // participant -> coordinator: the answer to CanCommit (yes or no)
  TxId tx = kNoTx;
  bool yes = false;
  bool operator==(const Vote&) const = default;
};

struct PreCommit {  // (termination) coordinator -> participant: everyone voted yes
  TxId tx = kNoTx;
  bool operator==(const PreCommit&) const = default;
};

struct PreCommitAck {  // participant -> (termination) coordinator: now precommitted
  TxId tx = kNoTx;
  bool operator==(const PreCommitAck&) const = default;
};

struct DoCommit {  // the outcome is commit; from the coordinator or a termination leader
  TxId tx = kNoTx;
  bool operator==(const DoCommit&) const = default;
};

struct DoCommitAck {  // participant -> sender of DoCommit: applied; lets the coordinator forget
  TxId tx = kNoTx;
  bool operator==(const DoCommitAck&) const = default;
};

struct Abort {  // the outcome is abort; from the coordinator or a termination leader
  TxId tx = kNoTx;
  bool operator==(const Abort&) const = default;
};

struct Elect {  // participant -> the lowest participant it can still reach: "terminate tx"
  TxId tx = kNoTx;
  bool operator==(const Elect&) const = default;
};

struct StateReq {  // termination leader -> participant: "what is your state for tx?"
  TxId tx = kNoTx;
  bool operator==(const StateReq&) const = default;
};

// A participant's state as the termination rules see it.
enum class PeerState : std::uint8_t { uncertain, precommitted, committed, aborted };

struct StateReply {  // participant -> termination leader: the answer to StateReq
  TxId tx = kNoTx;
  PeerState state = PeerState::uncertain;
  bool operator==(const StateReply&) const = default;
};

struct Query {  // a node that lost its volatile state (recovery) -> "what do you know of tx?"
  TxId tx = kNoTx;
  bool operator==(const Query&) const = default;
};

using Msg = std::variant<CanCommit, Vote, PreCommit, PreCommitAck, DoCommit, DoCommitAck, Abort,
                         Elect, StateReq, StateReply, Query>;

// Indexed by Msg::index(); the order follows the variant.
inline constexpr std::array<std::string_view, std::variant_size_v<Msg>> kMsgNames = {
    "CanCommit", "Vote",     "PreCommit", "PreCommitAck", "DoCommit", "DoCommitAck",
    "Abort",     "Elect",    "StateReq",  "StateReply",   "Query"};

// A 64-bit hash for the model checker: the variant index, then the fields (hash.cc).
std::uint64_t hash(const Msg& msg);

inline TxId tx_of(const Msg& msg) {
  return std::visit([](const auto& m) { return m.tx; }, msg);
}

}  // namespace txsim::three_phase
