// FieldReader: typed, strict reads of YamlNode values, with the scenario loader's error rules.
//
// Every read returns true on success. On failure it records an error that names the file,
// line and column, the dotted key, what was expected and what was found, then returns false,
// so that callers stop at the first error:
//   if (!r.duration(*n, path, Sign::non_negative, tx.at)) return false;
// Only the first error is kept. Strictness is deliberate (scenarios are read by students):
// integers are not floats or quoted strings, booleans are exactly true/false, durations carry
// a unit, and unknown keys are errors that list the allowed ones.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "sim/types.h"
#include "sim/yaml_tree.h"

namespace txsim {

using Names = std::vector<std::string_view>;

// "a, b, c" (or "(none)").
std::string join_names(const Names& names);
Names as_names(const std::vector<std::string>& names);
// True when `text` is a valid name: non-empty; letters, digits, '_' and '-' only.
bool is_name(std::string_view text);
// " (did you mean 'latency'?)" when one candidate is a close spelling of `word`, else "".
std::string suggestion(std::string_view word, const Names& candidates);
// What a value is, for "found ...": "a map", "a list", "an empty value", "the integer 5",
// "the number 1.5", "the boolean true", "the string 'abc'", "the quoted string \"5\"".
std::string describe(const YamlNode& n);

class FieldReader {
 public:
  enum class Sign : std::uint8_t { any, non_negative, positive };
  static constexpr std::int64_t kIntMin = std::numeric_limits<std::int64_t>::min();
  static constexpr std::int64_t kIntMax = std::numeric_limits<std::int64_t>::max();

  explicit FieldReader(std::string file) : file_(std::move(file)) {}

  const std::string& file() const { return file_; }
  const Error& error() const { return error_; }

  // Records an error at the value `at` (the first error wins). Always returns false.
  bool fail(const YamlNode& at, std::string_view path, std::string_view what);
  // Records an error at the key of the map entry `entry`. Always returns false.
  bool fail_key(const YamlNode& entry, std::string_view path, std::string_view what);

  // `n` is a map whose keys are all `allowed`, holding every key of `required`.
  bool map(const YamlNode& n, std::string_view path, const Names& allowed,
           const Names& required = {});
  // `n` is a map with exactly one entry, whose key is one of `keys`; `chosen` is set to that
  // entry. `what` names the block in messages ("a latency distribution"). Used for
  // "exactly one of" blocks such as distributions and triggers.
  bool one_key(const YamlNode& n, std::string_view path, const Names& keys, std::string_view what,
               const YamlNode*& chosen);
  // `n` is a list of at least `min_items` items; `of_what` completes "expected a list of ...".
  bool list(const YamlNode& n, std::string_view path, std::string_view of_what,
            std::size_t min_items);

  bool text(const YamlNode& n, std::string_view path, std::string& out);
  // A name of a node, account, transaction...: letters, digits, '_' and '-'.
  bool name(const YamlNode& n, std::string_view path, std::string_view of_what, std::string& out);
  bool integer(const YamlNode& n, std::string_view path, std::int64_t lo, std::int64_t hi,
               std::int64_t& out);
  bool unsigned_integer(const YamlNode& n, std::string_view path, std::uint64_t& out);
  bool number(const YamlNode& n, std::string_view path, double& out);
  bool probability(const YamlNode& n, std::string_view path, double& out);
  bool boolean(const YamlNode& n, std::string_view path, bool& out);
  bool duration(const YamlNode& n, std::string_view path, Sign sign, Micros& out);
  // A scalar that is one of `choices`.
  bool choice(const YamlNode& n, std::string_view path, const Names& choices, std::string& out);

 private:
  bool scalar(const YamlNode& n, std::string_view path, std::string_view expected);

  std::string file_;
  Error error_;
  bool failed_ = false;
};

}  // namespace txsim
