// Observations: the facts a protocol reports about itself through `fx.observe(...)`, and the
// only thing the invariants read. They are protocol-neutral on purpose: AC1..AC4, money
// conservation and blocking are written once and hold every protocol to the same standard.
//
// The emitting node is implicit (the node whose handler ran). Observations are applied to the
// Ledger in effect-list order, so a crash that cuts the list also cuts the facts after the cut.
#pragma once

#include <cstdint>
#include <string_view>

#include "sim/types.h"

namespace txsim {

enum class ObsKind : std::uint8_t {
  vote,       // value: 1 yes, 0 no. A participant's vote on tx.
  decide,     // value: 1 commit, 0 abort. A node took (or learned) the outcome of tx.
  phase,      // value: index into the protocol's phase names. Drawn as a lane colour.
  balance,    // account, value: signed delta applied to the account's balance.
  freeze,     // account, value: signed delta of the frozen (reserved) amount.
  lock,       // account: tx now holds a lock on it.
  unlock,     // account: tx released its lock on it.
  effect,     // value: a protocol-defined effect id applied for tx (at-most-once checks).
  forget,     // tx: the node dropped tx from its memory and log after finishing it.
};

std::string_view to_string(ObsKind kind);

struct Observation {
  ObsKind kind = ObsKind::phase;
  TxId tx = kNoTx;
  AccountId account = kNoAccount;
  std::int32_t value = 0;

  bool operator==(const Observation&) const = default;
};

}  // namespace txsim
