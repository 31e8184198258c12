// Hasher: the 64-bit hash models use to build state fingerprints (Model::fingerprint).
//
// Fingerprints decide which states the checker treats as already seen, so they must be
// well mixed (two distinct states collide with probability ~2^-64) and identical across runs,
// compilers and platforms (counts in tests are pinned). std::hash gives neither guarantee.
//
// The core step is the "folded multiply" of wyhash/rapidhash: multiply two 64-bit words into
// 128 bits and xor the halves. Each add() is one such multiply on (state ^ word), so hashing a
// sequence is a chain; finish() runs a full avalanche (the SplitMix64 finalizer, a bijection)
// over the chain and the word count. Byte input is read little-endian whatever the host order.
//
// Usage:
//   Hasher h;
//   h.add(state.phase);                 // any integer or enum
//   h.add_range(state.votes);           // length, then each element
//   return h.finish();
// Types of a model's own can join in by defining `void hash_append(Hasher&, const T&)` next to
// T (found by argument-dependent lookup); add_value() and add_range() then accept them.
//
// The API (add, add_bytes, finish) is stable: changing the algorithm changes every pinned
// fingerprint-dependent value (tests/check/hash_test.cc pins reference values).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <ranges>
#include <string_view>
#include <type_traits>

namespace txsim::check {

// The SplitMix64 finalizer: a bijection on 64-bit words with full avalanche.
[[gnu::always_inline]] constexpr std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

class Hasher;

template <class T>
concept HashAppendable = requires(Hasher& h, const T& v) {
  hash_append(h, v);
};

class Hasher {
 public:
  static constexpr std::uint64_t kSeedDefault = 0x243f6a8885a308d3ULL;  // digits of pi

  constexpr Hasher() = default;
  explicit constexpr Hasher(std::uint64_t seed) : h_(seed ^ kSeedDefault) {}

  constexpr void add(std::uint64_t word) {
    h_ = fold_multiply(h_ ^ word ^ kP0, kP1);
    ++words_;
  }

  // Length first, so that ("ab", "c") and ("a", "bc") hash differently when concatenated.
  void add_bytes(const void* data, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    add(size);
    for (; size >= 8; size -= 8, p += 8) add(load_le64(p, 8));
    if (size > 0) add(load_le64(p, size));
  }

  void add(std::string_view text) { add_bytes(text.data(), text.size()); }

  // Integers, enums, bools, and types with an ADL hash_append(Hasher&, const T&).
  template <class T>
  void add_value(const T& value) {
    if constexpr (std::is_enum_v<T>) {
      add(static_cast<std::uint64_t>(static_cast<std::underlying_type_t<T>>(value)));
    } else if constexpr (std::is_integral_v<T>) {
      add(static_cast<std::uint64_t>(value));
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
      add(std::string_view(value));
    } else if constexpr (HashAppendable<T>) {
      hash_append(*this, value);
    } else {
      static_assert(std::ranges::input_range<T>, "no way to hash this type");
      add_range(value);
    }
  }

  // Any range (std::vector, std::array, small vectors, spans): its length, then each element.
  template <std::ranges::input_range R>
  void add_range(const R& range) {
    add(static_cast<std::uint64_t>(std::ranges::distance(range)));
    for (const auto& element : range) add_value(element);
  }

  constexpr std::uint64_t finish() const { return mix64(h_ ^ mix64(words_ + kP2)); }

 private:
  static constexpr std::uint64_t kP0 = 0xa0761d6478bd642fULL;  // wyhash's constants
  static constexpr std::uint64_t kP1 = 0xe7037ed1a0b428dbULL;
  static constexpr std::uint64_t kP2 = 0x8ebc6af09c88c6e3ULL;

  __extension__ typedef unsigned __int128 U128;  // __extension__: quiet under -Wpedantic

  static constexpr std::uint64_t fold_multiply(std::uint64_t a, std::uint64_t b) {
    const U128 product = static_cast<U128>(a) * b;
    return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
  }

  // Little-endian load of 1..8 bytes, the same value on every host.
  static std::uint64_t load_le64(const unsigned char* p, std::size_t n) {
    std::uint64_t word = 0;
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(&word, p, n);
    } else {
      for (std::size_t i = 0; i < n; ++i) word |= std::uint64_t{p[i]} << (8 * i);
    }
    return word;
  }

  std::uint64_t h_ = kSeedDefault;
  std::uint64_t words_ = 0;
};

// One-shot helpers.
inline std::uint64_t hash_words(std::initializer_list<std::uint64_t> words) {
  Hasher h;
  for (std::uint64_t w : words) h.add(w);
  return h.finish();
}

}  // namespace txsim::check
