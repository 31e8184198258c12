#include "sim/yaml_fields.h"

#include <algorithm>
#include <charconv>

#include "sim/options.h"

namespace txsim {

namespace {

constexpr std::size_t kShownChars = 40;

bool contains(const Names& names, std::string_view word) {
  return std::find(names.begin(), names.end(), word) != names.end();
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string shown(const std::string& text) {
  if (text.size() <= kShownChars) return text;
  return text.substr(0, kShownChars) + "...";
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

}  // namespace

bool is_name(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_name_char);
}

namespace {

std::string integer_range(std::int64_t lo, std::int64_t hi) {
  if (lo == FieldReader::kIntMin && hi == FieldReader::kIntMax) return "an integer";
  if (hi == FieldReader::kIntMax) return "an integer >= " + std::to_string(lo);
  return "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
}

}  // namespace

std::string join_names(const Names& names) {
  if (names.empty()) return "(none)";
  std::string out;
  for (std::string_view n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

Names as_names(const std::vector<std::string>& names) { return Names(names.begin(), names.end()); }

std::string suggestion(std::string_view word, const Names& candidates) {
  std::string_view best;
  std::size_t best_d = std::max<std::size_t>(1, word.size() / 3) + 1;
  for (std::string_view c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d && d < c.size()) {
      best = c;
      best_d = d;
    }
  }
  return best.empty() ? "" : " (did you mean '" + std::string(best) + "'?)";
}

std::string describe(const YamlNode& n) {
  switch (n.kind) {
    case YamlNode::Kind::null:
      return "an empty value";
    case YamlNode::Kind::list:
      return n.children.empty() ? "an empty list" : "a list";
    case YamlNode::Kind::map:
      return n.children.empty() ? "an empty map" : "a map";
    case YamlNode::Kind::scalar:
      break;
  }
  if (!n.plain) return "the string \"" + shown(n.text) + "\"";
  std::int64_t i = 0;
  double d = 0;
  if (parse_integer(n.text, i).empty()) return "the integer " + shown(n.text);
  if (parse_number(n.text, d).empty()) return "the number " + shown(n.text);
  if (n.text == "true" || n.text == "false") return "the boolean " + n.text;
  return "the string '" + shown(n.text) + "'";
}

bool FieldReader::fail(const YamlNode& at, std::string_view path, std::string_view what) {
  if (!failed_) error_.message = located_error(file_, at.line, at.col, path, what);
  failed_ = true;
  return false;
}

bool FieldReader::fail_key(const YamlNode& entry, std::string_view path, std::string_view what) {
  if (!failed_) error_.message = located_error(file_, entry.key_line, entry.key_col, path, what);
  failed_ = true;
  return false;
}

bool FieldReader::map(const YamlNode& n, std::string_view path, const Names& allowed,
                      const Names& required) {
  if (!n.is_map()) {
    return fail(n, path,
                "expected a map with keys " + join_names(allowed) + ", found " + describe(n));
  }
  for (const YamlNode& c : n.children) {
    if (!contains(allowed, c.key)) {
      return fail_key(
          c, child_path(path, c.key),
          "unknown key; allowed here: " + join_names(allowed) + suggestion(c.key, allowed));
    }
  }
  for (std::string_view r : required) {
    if (n.find(r) != nullptr) continue;
    Names present;
    for (const YamlNode& c : n.children) present.push_back(c.key);
    return fail(n, child_path(path, r),
                "required key is missing (this map has: " + join_names(present) + ")");
  }
  return true;
}

bool FieldReader::one_key(const YamlNode& n, std::string_view path, const Names& keys,
                          std::string_view what, const YamlNode*& chosen) {
  const std::string expected =
      "expected " + std::string(what) + ": a map with exactly one of " + join_names(keys);
  if (!n.is_map() || n.children.empty()) return fail(n, path, expected + ", found " + describe(n));
  if (!map(n, path, keys)) return false;
  if (n.children.size() > 1) {
    const YamlNode& second = n.children[1];
    return fail_key(second, child_path(path, second.key),
                    expected + ", found both '" + n.children[0].key + "' and '" + second.key + "'");
  }
  chosen = &n.children[0];
  return true;
}

bool FieldReader::list(const YamlNode& n, std::string_view path, std::string_view of_what,
                       std::size_t min_items) {
  const std::string expected =
      std::string(min_items > 0 ? "expected a non-empty list of " : "expected a list of ") +
      std::string(of_what);
  if (!n.is_list()) return fail(n, path, expected + ", found " + describe(n));
  if (n.children.size() < min_items) {
    return fail(n, path,
                expected + ", found " +
                    (n.children.empty() ? std::string("an empty list")
                                        : "a list of " + std::to_string(n.children.size())));
  }
  return true;
}

bool FieldReader::scalar(const YamlNode& n, std::string_view path, std::string_view expected) {
  if (n.is_scalar()) return true;
  return fail(n, path, "expected " + std::string(expected) + ", found " + describe(n));
}

bool FieldReader::text(const YamlNode& n, std::string_view path, std::string& out) {
  if (!scalar(n, path, "a string")) return false;
  out = n.text;
  return true;
}

bool FieldReader::name(const YamlNode& n, std::string_view path, std::string_view of_what,
                       std::string& out) {
  const std::string expected = std::string(of_what) + " (letters, digits, '_' and '-' only)";
  if (!scalar(n, path, expected)) return false;
  if (!is_name(n.text)) {
    return fail(n, path, "expected " + expected + ", found " + describe(n));
  }
  out = n.text;
  return true;
}

bool FieldReader::integer(const YamlNode& n, std::string_view path, std::int64_t lo,
                          std::int64_t hi, std::int64_t& out) {
  const std::string expected = integer_range(lo, hi);
  std::int64_t v = 0;
  if (!n.is_scalar() || !n.plain || !parse_integer(n.text, v).empty() || v < lo || v > hi) {
    return fail(n, path, "expected " + expected + ", found " + describe(n));
  }
  out = v;
  return true;
}

bool FieldReader::unsigned_integer(const YamlNode& n, std::string_view path, std::uint64_t& out) {
  std::uint64_t v = 0;
  const char* end = n.text.data() + n.text.size();
  const auto [ptr, ec] = std::from_chars(n.text.data(), end, v);
  if (!n.is_scalar() || !n.plain || n.text.empty() || ec != std::errc() || ptr != end) {
    return fail(n, path,
                "expected an unsigned integer (0 to 18446744073709551615), found " + describe(n));
  }
  out = v;
  return true;
}

bool FieldReader::number(const YamlNode& n, std::string_view path, double& out) {
  if (!n.is_scalar() || !n.plain || !parse_number(n.text, out).empty()) {
    return fail(n, path, "expected a number, found " + describe(n));
  }
  return true;
}

bool FieldReader::probability(const YamlNode& n, std::string_view path, double& out) {
  double v = 0;
  if (!n.is_scalar() || !n.plain || !parse_number(n.text, v).empty() || !(v >= 0 && v <= 1)) {
    return fail(n, path, "expected a probability in [0, 1], found " + describe(n));
  }
  out = v;
  return true;
}

bool FieldReader::boolean(const YamlNode& n, std::string_view path, bool& out) {
  if (!n.is_scalar() || !n.plain || (n.text != "true" && n.text != "false")) {
    return fail(n, path, "expected true or false, found " + describe(n));
  }
  out = n.text == "true";
  return true;
}

bool FieldReader::duration(const YamlNode& n, std::string_view path, Sign sign, Micros& out) {
  if (!scalar(n, path, "a duration such as 250us, 5ms, 1.5s or 2m")) return false;
  Micros v = 0;
  if (std::string err = parse_duration(n.text, v); !err.empty()) return fail(n, path, err);
  if (sign == Sign::non_negative && v < 0) {
    return fail(n, path, "expected a non-negative duration, found " + n.text);
  }
  if (sign == Sign::positive && v <= 0) {
    return fail(n, path, "expected a duration greater than 0, found " + n.text);
  }
  out = v;
  return true;
}

bool FieldReader::choice(const YamlNode& n, std::string_view path, const Names& choices,
                         std::string& out) {
  if (!n.is_scalar() || !contains(choices, n.text)) {
    const std::string hint = n.is_scalar() ? suggestion(n.text, choices) : "";
    return fail(n, path,
                "expected one of " + join_names(choices) + ", found " + describe(n) + hint);
  }
  out = n.text;
  return true;
}

}  // namespace txsim
