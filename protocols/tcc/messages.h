// TCC messages: the small values the transaction manager (TM) and the branches exchange.
//
// Sources: Pat Helland, "Life beyond Distributed Transactions: an Apostate's Opinion" (CIDR
// 2007: tentative operations, confirmation, cancellation); the DTM project's TCC mode and its
// sub-transaction barrier (dtm.pub, "Exceptions and sub-transaction barrier"); Seata's TCC mode
// and its "TCC fence" (seata.apache.org, "TCC mode": empty rollback, idempotency, suspension).
//
// Invariants: every message is about exactly one transaction; a reply carries one of the four
// statuses the TM tells apart; the type names below are the ones scenario triggers and
// timelines use, so they must not change.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <variant>

#include "sim/types.h"

namespace txsim::tcc {

// How a branch answers. The TM reacts differently to each (manager.cc):
//   ok          - done;
//   failure     - a business failure: Try could not reserve (funds, a scripted no, refused
//                 because its Cancel came first); a Confirm/Cancel that fails is a bug upstream
//                 and is retried like an error;
//   in_progress - the branch is busy with it (a local lock): ask again after a fixed interval;
//   error       - anything else (connection, database): retry with exponential backoff.
enum class Reply : std::uint8_t { ok, failure, in_progress, error };

struct Try {  // TM -> branch: phase one, "check and reserve your part of tx"
  TxId tx = kNoTx;
  bool operator==(const Try&) const = default;
};

struct TryReply {  // branch -> TM: ok (reserved) or failure
  TxId tx = kNoTx;
  Reply status = Reply::ok;
  bool operator==(const TryReply&) const = default;
};

struct Confirm {  // TM -> branch: every Try succeeded, spend what you reserved
  TxId tx = kNoTx;
  bool operator==(const Confirm&) const = default;
};

struct Cancel {  // TM -> branch: some Try failed or timed out, release what you reserved
  TxId tx = kNoTx;
  bool operator==(const Cancel&) const = default;
};

struct ConfirmReply {  // branch -> TM
  TxId tx = kNoTx;
  Reply status = Reply::ok;
  bool operator==(const ConfirmReply&) const = default;
};

struct CancelReply {  // branch -> TM
  TxId tx = kNoTx;
  Reply status = Reply::ok;
  bool operator==(const CancelReply&) const = default;
};

using Msg = std::variant<Try, TryReply, Confirm, Cancel, ConfirmReply, CancelReply>;

// Indexed by Msg::index(); the order follows the variant.
inline constexpr std::array<std::string_view, std::variant_size_v<Msg>> kMsgNames = {
    "Try", "TryReply", "Confirm", "Cancel", "ConfirmReply", "CancelReply"};

// A 64-bit hash for the model checker: the variant index, the tx, the status (hash.cc).
std::uint64_t hash(const Msg& msg);

inline TxId tx_of(const Msg& msg) {
  return std::visit([](const auto& m) { return m.tx; }, msg);
}

// The status of a reply, Reply::ok for the requests.
inline Reply status_of(const Msg& msg) {
  if (const auto* r = std::get_if<TryReply>(&msg)) return r->status;
  if (const auto* r = std::get_if<ConfirmReply>(&msg)) return r->status;
  if (const auto* r = std::get_if<CancelReply>(&msg)) return r->status;
  return Reply::ok;
}

}  // namespace txsim::tcc
