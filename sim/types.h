// Basic value types shared by every part of txsim: virtual time, node / transaction /
// account / timer ids, and the small Result<T> used for operating errors.
//
// Invariants: time is integer microseconds and never negative inside the engine; ids are dense
// indexes assigned by the scenario loader in declaration order, so they can index vectors.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace txsim {

using Micros = std::int64_t;  // virtual time and durations, microseconds
using NodeId = std::uint16_t;
using TxId = std::uint16_t;
using AccountId = std::uint16_t;  // index into the scenario's account table
using TimerId = std::uint32_t;    // chosen by the protocol; unique per node

inline constexpr NodeId kNoNode = 0xFFFF;
inline constexpr TxId kNoTx = 0xFFFF;
inline constexpr AccountId kNoAccount = 0xFFFF;

constexpr Micros us(std::int64_t v) { return v; }
constexpr Micros ms(std::int64_t v) { return v * 1000; }
constexpr Micros sec(std::int64_t v) { return v * 1000 * 1000; }

// "1.250ms", "3s", "40us": the shortest exact rendering, used by timelines and messages.
std::string format_duration(Micros d);

// An operating error (bad input, I/O): a value carried to the edge, never an exception.
struct Error {
  std::string message;  // already formatted for a person: "file:line:col: key 'x': ..."
};

template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}      // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace txsim
