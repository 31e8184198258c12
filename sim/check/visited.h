// Visited<State>: the set of states a search has seen, in one of two modes chosen at run time.
//
// - fingerprint mode (default): a FingerprintSet, 16-32 bytes per state, states themselves
//   forgotten; two states with the same 64-bit fingerprint count as one (see
//   collision_probability);
// - store_states mode: a StateStore, every state kept and compared on equal fingerprints.
//
// With symmetry reduction the fingerprint is of a canonical representative, so the stored
// states must be canonical too, or two renamings of one state would compare unequal and both
// be counted: the model's canonical() (when it has one) is applied before storing/comparing.
//
// The concurrency contract is the one of both sets: contains() on many threads while nothing
// inserts; insert_concurrent() on many threads after reserve(); insert() single-threaded.
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

  void reserve(std::size_t count) {
    if (!store_) fingerprints_.reserve(count);
  }

  bool insert_concurrent(std::uint64_t fp, const State& state) {
    if (!store_) return fingerprints_.insert_concurrent(fp);
    return canonical_ ? store_->insert_concurrent(fp, canonical_(state))
                      : store_->insert_concurrent(fp, state);
  }

  std::size_t size() const { return store_ ? store_->size() : fingerprints_.size(); }

  std::size_t bytes() const { return store_ ? store_->bytes() : fingerprints_.bytes(); }

  // What the table will allocate soon: the next doubling, once it is at least 2/5 full.
  std::size_t bytes_soon() const {
    if (store_) return 0;
    return fingerprints_.load_factor() >= 0.4 ? fingerprints_.bytes_next_growth() : 0;
  }

  // What reserve(count) would allocate (the new table; the old one lives until it is copied).
  std::size_t bytes_to_reserve(std::size_t count) const {
    if (store_) return 0;
    const std::size_t capacity = capacity_for(count, fingerprints_.capacity());
    return capacity > fingerprints_.capacity() ? capacity * sizeof(std::uint64_t) : 0;
  }

  const FingerprintSet& fingerprints() const { return fingerprints_; }

 private:
  std::unique_ptr<StateStore<State>> store_;
  FingerprintSet fingerprints_;
  std::function<State(const State&)> canonical_;  // store mode with symmetry only
};

}  // namespace txsim::check
