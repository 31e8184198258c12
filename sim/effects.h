// Effects: the ordered list a protocol handler emits instead of acting on the world.
//
// A handler (on_request / on_message / on_timer / on_recover) gets its node's state and an
// Effects sink. It may mutate its state freely, but the *world* changes only through this list,
// applied in order by whichever engine runs it (simulator or checker). A crash may cut the list
// after any prefix: messages after the cut are never sent, persists after the cut never reach the
// disk, observations after the cut never happened. This is how the torn broadcast is modelled.
//
// `persist()` snapshots the durable part of the state *at the moment of the call*; on a crash
// the node restarts from the last snapshot that was applied. `choose(n)` is the only source of
// nondeterminism a handler may use: the simulator draws it from the seeded choice stream, the
// checker branches on every value.
//
// A `persist` and the observations that directly follow it are one atomic step: a crash never
// falls between a durable write and the facts it records (otherwise the ledger would disagree
// with the disk, and a correct protocol would be blamed). `crash_cut_allowed` says where a
// cut may fall; both engines use it.
//
// Invariant: an Effects object is reused between handler calls (clear() keeps capacity), so the
// hot path allocates nothing once warmed up.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sim/assert.h"
#include "sim/observation.h"
#include "sim/types.h"

namespace txsim {

// Where choose() gets its values. The simulator draws from its choice stream; the checker
// replays a prefix of values and branches on the rest.
class Chooser {
 public:
  virtual ~Chooser() = default;
  virtual std::uint32_t choose(std::uint32_t n) = 0;  // returns a value in [0, n)
};

enum class EffectKind : std::uint8_t { send, set_timer, cancel_timer, persist, observe, choose };

struct Effect {
  EffectKind kind = EffectKind::observe;
  NodeId to = kNoNode;        // send
  TimerId timer = 0;          // set_timer / cancel_timer
  Micros delay = 0;           // set_timer: local-clock duration
  std::uint32_t index = 0;    // send: into messages(); persist: into snapshots()
  Observation obs{};          // observe; choose records {value = chosen, account = n}
};

// May a crash fall just before effect `i` (i == list.size(): after the whole list)?
inline bool crash_cut_allowed(const std::vector<Effect>& list, std::size_t i) {
  if (i >= list.size() || list[i].kind != EffectKind::observe) return true;
  std::size_t j = i;
  while (j > 0 && list[j - 1].kind == EffectKind::observe) --j;
  return !(j > 0 && list[j - 1].kind == EffectKind::persist);
}

template <class Msg, class Durable>
class Effects {
 public:
  // Local (possibly skewed) clock of the node whose handler runs. The checker passes 0:
  // protocols must not make decisions that depend on absolute time.
  Micros now() const { return now_local_; }
  NodeId self() const { return self_; }

  void send(NodeId to, Msg msg) {
    list_.push_back(Effect{EffectKind::send, to, 0, 0,
                           static_cast<std::uint32_t>(msgs_.size()), {}});
    msgs_.push_back(std::move(msg));
  }
  void set_timer(TimerId id, Micros local_delay) {
    TXSIM_ASSERT(local_delay >= 0);
    list_.push_back(Effect{EffectKind::set_timer, kNoNode, id, local_delay, 0, {}});
  }
  void cancel_timer(TimerId id) {
    list_.push_back(Effect{EffectKind::cancel_timer, kNoNode, id, 0, 0, {}});
  }
  void persist(const Durable& durable) {
    list_.push_back(Effect{EffectKind::persist, kNoNode, 0, 0,
                           static_cast<std::uint32_t>(snaps_used_), {}});
    // Slots are kept across handler calls: copy-assigning into one reuses its buffers.
    if (snaps_used_ < snaps_.size()) {
      snaps_[snaps_used_] = durable;
    } else {
      snaps_.push_back(durable);
    }
    ++snaps_used_;
  }
  void observe(Observation obs) {
    list_.push_back(Effect{EffectKind::observe, kNoNode, 0, 0, 0, obs});
  }
  void observe(ObsKind kind, TxId tx, std::int32_t value = 0, AccountId account = kNoAccount) {
    observe(Observation{kind, tx, account, value});
  }
  // A value in [0, n). n >= 1; n == 1 is not a choice and records nothing.
  std::uint32_t choose(std::uint32_t n) {
    TXSIM_ASSERT(n >= 1);
    if (n == 1) return 0;
    TXSIM_ASSERT(chooser_ != nullptr);
    std::uint32_t v = chooser_->choose(n);
    TXSIM_ASSERT(v < n);
    Observation rec{ObsKind::effect, kNoTx, static_cast<AccountId>(n),
                    static_cast<std::int32_t>(v)};
    list_.push_back(Effect{EffectKind::choose, kNoNode, 0, 0, 0, rec});
    return v;
  }

  // --- engine side ---
  void reset(NodeId self, Micros now_local, Chooser* chooser) {
    self_ = self;
    now_local_ = now_local;
    chooser_ = chooser;
    list_.clear();
    msgs_.clear();
    snaps_used_ = 0;
  }
  const std::vector<Effect>& list() const { return list_; }
  std::vector<Msg>& messages() { return msgs_; }
  std::span<const Durable> snapshots() const { return {snaps_.data(), snaps_used_}; }
  // The engine may swap a snapshot out (into the node's disk) instead of copying it.
  Durable& snapshot(std::uint32_t i) {
    TXSIM_ASSERT(i < snaps_used_);
    return snaps_[i];
  }

 private:
  std::vector<Effect> list_;
  std::vector<Msg> msgs_;
  std::vector<Durable> snaps_;
  std::size_t snaps_used_ = 0;  // snaps_[0, used) belong to the current handler call
  Chooser* chooser_ = nullptr;
  Micros now_local_ = 0;
  NodeId self_ = kNoNode;
};

}  // namespace txsim
