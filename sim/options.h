// Protocol options: each protocol declares a schema (key, type, default, a sentence of doc),
// and the scenario loader validates a scenario's `options: {<protocol>: {...}}` block against
// it. Protocols never see YAML; they read typed values from OptionValues.
//
// Invariant: after loading, OptionValues holds a value for every key of the schema (the
// scenario's or the default), so `get_*` on a declared key cannot fail.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/types.h"

namespace txsim {

enum class OptionType : std::uint8_t { boolean, integer, duration, probability, choice };

struct OptionSpec {
  std::string key;
  OptionType type = OptionType::boolean;
  std::string default_value;           // written as in YAML: "true", "50ms", "3", "0.1"
  std::string doc;                     // one sentence for docs and `txsim options`
  std::vector<std::string> choices{};  // for OptionType::choice
};

using OptionSchema = std::vector<OptionSpec>;

class OptionValues {
 public:
  // Parses `text` according to `spec`; returns an error message (without location) or "".
  std::string set(const OptionSpec& spec, const std::string& text);
  void fill_defaults(const OptionSchema& schema);

  bool get_bool(std::string_view key) const;
  std::int64_t get_int(std::string_view key) const;
  Micros get_duration(std::string_view key) const;
  double get_probability(std::string_view key) const;
  const std::string& get_choice(std::string_view key) const;
  bool has(std::string_view key) const { return values_.count(std::string(key)) != 0; }

 private:
  struct Value {
    OptionType type;
    std::int64_t i = 0;
    double d = 0;
    std::string s;
  };
  const Value& find(std::string_view key, OptionType type) const;
  std::map<std::string, Value, std::less<>> values_;
};

// Parses "250us", "5ms", "1.5s", "2m" into microseconds. A bare number is rejected: a scenario
// must say its unit. Returns an error message or "".
std::string parse_duration(std::string_view text, Micros& out);

// The largest duration parse_duration accepts (about 31 years), so that sums of times and
// durations cannot overflow.
inline constexpr Micros kDurationMax = 1'000'000'000'000'000;

// Parses a decimal integer ("300", "-12"): no fraction, no exponent, no hex, no '+'.
// Returns an error message (without location) or "".
std::string parse_integer(std::string_view text, std::int64_t& out);

// Parses a finite decimal number ("0.25", "3", "1e-3"). Returns an error message or "".
std::string parse_number(std::string_view text, double& out);

}  // namespace txsim
