// Choreographed saga messages: the events services publish on the bus, and their acks.
//
// Sources: C. Richardson, "Microservices Patterns" (2018), ch. 4 (choreography-based sagas:
// each participant publishes a domain event when its local transaction commits or fails, and
// the others subscribe to it) and ch. 3 (the transactional outbox: an event is written in the
// same local transaction as the change it announces and relayed until delivered).
//
// Invariants: every message is about one saga instance (a workload transaction) and one step
// of it (SagaBegun: step 0); an Ack names exactly the event it acknowledges, so a publisher can
// strike that one delivery off its outbox; the type names (SagaBegun, StepDone, StepFailed,
// StepCompensated, Ack) are what scenario triggers and timelines use.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <variant>

#include "sim/types.h"

namespace txsim::choreo {

// What an event announces.
enum class What : std::uint8_t {
  begun,        // the saga instance started (the client's request reached the entry service)
  done,         // the publisher's step committed its action
  failed,       // the publisher's step failed for good: the saga goes backward
  compensated,  // the publisher's step is undone (or cancelled before it ran): it is settled
};
inline constexpr std::size_t kWhatCount = 4;

struct Event {  // publisher -> every other service of the saga, until acknowledged
  TxId tx = kNoTx;
  std::uint16_t step = 0;
  What what = What::begun;
  bool operator==(const Event&) const = default;
};

struct Ack {  // subscriber -> publisher: this event is handled (and its effects persisted)
  TxId tx = kNoTx;
  std::uint16_t step = 0;
  What what = What::begun;
  bool operator==(const Ack&) const = default;
};

using Msg = std::variant<Event, Ack>;

inline constexpr std::array<std::string_view, kWhatCount> kEventNames = {
    "SagaBegun", "StepDone", "StepFailed", "StepCompensated"};

inline TxId tx_of(const Msg& msg) {
  return std::visit([](const auto& m) { return m.tx; }, msg);
}

// The event a message is or acknowledges, as one number: 1 + (what << 16 | step). 0 is "no
// event" (a client request, a timer), which is what a StepRecord's trigger fields compare to.
inline std::uint32_t event_key(TxId, std::uint16_t step, What what) {
  return 1 + ((std::uint32_t(what) << 16) | step);
}
inline std::uint32_t event_key(const Event& e) { return event_key(e.tx, e.step, e.what); }

// A 64-bit hash for the model checker (hash.cc).
std::uint64_t hash(const Msg& msg);

}  // namespace txsim::choreo
