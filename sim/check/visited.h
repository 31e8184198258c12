// Visited<State>: the set of states a search has seen, in one of two modes chosen at run time.
//
// - fingerprint mode (default): a FingerprintSet, about 10 bytes per state, states themselves
//   forgotten; two states with the same 64-bit fingerprint count as one (see
//   collision_probability);
// - store_states mode: a StateStore, every state kept and compared on equal fingerprints.
//
// With symmetry reduction the fingerprint is of a canonical representative, so the stored
// states must be canonical too, or two renamings of one state would compare unequal and both
// be counted: the model's canonical() (when it has one) is applied before storing/comparing.
//
// Concurrency: insert() may run on several threads at once when each thread inserts only
// fingerprints of its own FingerprintSet shards (BFS groups them by shard_of); StateStore locks
// its shards anyway. contains() must not run while anything inserts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "sim/check/fingerprint_set.h"
#include "sim/check/state_store.h"

namespace txsim::check {

// Equality up to the model's symmetry (its canonical()), or empty when it has none.
template <class M, class State = typename M::State>
std::function<bool(const State&, const State&)> symmetric_equality(const M& model) {
  if constexpr (requires(const State& s) { { model.canonical(s) } -> std::same_as<State>; })
    return [&model](const State& a, const State& b) {
      return model.canonical(a) == model.canonical(b);
    };
  return {};
}

template <class State>
class Visited {
 public:
  explicit Visited(bool store_states)
      : store_(store_states ? std::make_unique<StateStore<State>>() : nullptr) {}

  // Visited<M::State> for model M: picks up M::canonical when it exists.
  template <class M>
  static Visited for_model(const M& model, bool store_states) {
    Visited v(store_states);
    if constexpr (requires(const State& s) { { model.canonical(s) } -> std::same_as<State>; })
      if (store_states) v.canonical_ = [&model](const State& s) { return model.canonical(s); };
    return v;
  }

  bool store_states() const { return store_ != nullptr; }

  bool contains(std::uint64_t fp, const State& state) const {
    if (!store_) return fingerprints_.contains(fp);
    return canonical_ ? store_->contains(fp, canonical_(state)) : store_->contains(fp, state);
  }

  bool insert(std::uint64_t fp, const State& state) {
    if (!store_) return fingerprints_.insert(fp);
    return canonical_ ? store_->insert(fp, canonical_(state)) : store_->insert(fp, state);
  }

  // By slot key (FingerprintSet::slot_key(fp)), for a search that carries keys. Store mode
  // indexes its states by the key then: use one or the other on a Visited, not both.
  bool insert_key(std::uint64_t key, const State& state) {
    if (!store_) return fingerprints_.insert_by_key(key);
    return canonical_ ? store_->insert(key, canonical_(state)) : store_->insert(key, state);
  }
  // Fingerprint mode only (store mode would compare states: it answers false).
  [[gnu::always_inline]] bool contains_key(std::uint64_t key) const { return !store_ && fingerprints_.contains_key(key); }
  [[gnu::always_inline]] void prefetch_key(std::uint64_t key) const {
    if (!store_) fingerprints_.prefetch_key(key);
  }

  void reserve(std::size_t count) {
    if (!store_) fingerprints_.reserve(count);
  }

  // Brings the fingerprint's slot toward the cache (fingerprint mode; a no-op otherwise).
  void prefetch(std::uint64_t fp) const {
    if (!store_) fingerprints_.prefetch(fp);
  }

  std::size_t size() const { return store_ ? store_->size() : fingerprints_.size(); }

  std::size_t bytes() const { return store_ ? store_->bytes() : fingerprints_.bytes(); }

  // What a growth may allocate soon while the old array is alive (fingerprint mode: a shard's).
  std::size_t bytes_soon() const { return store_ ? 0 : fingerprints_.bytes_next_growth(); }

  const FingerprintSet& fingerprints() const { return fingerprints_; }

 private:
  std::unique_ptr<StateStore<State>> store_;
  FingerprintSet fingerprints_;
  std::function<State(const State&)> canonical_;  // store mode with symmetry only
};

}  // namespace txsim::check
