#include "sim/options.h"

#include <charconv>
#include <cmath>

#include "sim/assert.h"

namespace txsim {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view take_digits(std::string_view text, std::size_t& i) {
  const std::size_t start = i;
  while (i < text.size() && is_digit(text[i])) ++i;
  return text.substr(start, i - start);
}

std::string quoted(std::string_view text) {
  std::string q = "'";  // appends, not "'" + s: GCC 12 warns falsely (-Wrestrict, PR105329)
  q += text;
  q += "'";
  return q;
}

// Microseconds per unit, or 0 for an unknown unit.
Micros unit_scale(std::string_view unit) {
  if (unit == "us") return 1;
  if (unit == "ms") return 1000;
  if (unit == "s") return 1000 * 1000;
  if (unit == "m") return 60 * 1000 * 1000;
  return 0;
}

std::string_view trim_leading_zeros(std::string_view s) {
  while (s.size() > 1 && s.front() == '0') s.remove_prefix(1);
  return s;
}

std::string_view trim_trailing_zeros(std::string_view s) {
  while (!s.empty() && s.back() == '0') s.remove_suffix(1);
  return s;
}

// whole.frac * scale as exact microseconds; "" or an error message.
std::string exact_micros(std::string_view text, std::string_view whole, std::string_view frac,
                         Micros scale, Micros& out) {
  const std::string too_large =
      "expected a duration of at most " + format_duration(kDurationMax) + ", found " + quoted(text);
  whole = trim_leading_zeros(whole);
  frac = trim_trailing_zeros(frac);
  if (whole.size() > 18) return too_large;
  std::int64_t w = 0;
  std::from_chars(whole.data(), whole.data() + whole.size(), w);
  if (w > kDurationMax / scale) return too_large;
  const std::string inexact = "expected a whole number of microseconds, found " + quoted(text) +
                              " (the smallest unit is 1us)";
  if (frac.size() > 8) return inexact;
  std::int64_t f = 0, denom = 1;
  std::from_chars(frac.data(), frac.data() + frac.size(), f);
  for (std::size_t k = 0; k < frac.size(); ++k) denom *= 10;
  if ((f * scale) % denom != 0) return inexact;
  const Micros total = w * scale + f * scale / denom;
  if (total > kDurationMax) return too_large;
  out = total;
  return "";
}

std::string choice_error(const std::vector<std::string>& choices, const std::string& text) {
  std::string listed;
  for (const std::string& c : choices) {
    if (c == text) return "";
    listed += (listed.empty() ? "" : ", ") + c;
  }
  return "expected one of " + listed + ", found " + quoted(text);
}

}  // namespace

std::string parse_duration(std::string_view text, Micros& out) {
  const std::string generic =
      "expected a duration such as 250us, 5ms, 1.5s or 2m, found " + quoted(text);
  const bool negative = !text.empty() && text.front() == '-';
  std::size_t i = negative ? 1 : 0;
  const std::string_view whole = take_digits(text, i);
  std::string_view frac;
  bool has_point = false;
  if (i < text.size() && text[i] == '.') {
    has_point = true;
    frac = take_digits(text, ++i);
  }
  const std::string_view unit = text.substr(i);
  if (whole.empty() || (has_point && frac.empty())) return generic;
  if (unit.empty()) {
    return "expected a duration with a unit (us, ms, s or m), found the bare number " +
           std::string(text) + "; write for example " + std::string(text) + "ms";
  }
  const Micros scale = unit_scale(unit);
  if (scale == 0) {
    return "expected the unit us, ms, s or m after the number, found " + quoted(unit) + " in " +
           quoted(text);
  }
  Micros v = 0;
  if (std::string e = exact_micros(text, whole, frac, scale, v); !e.empty()) return e;
  out = negative ? -v : v;
  return "";
}

std::string parse_integer(std::string_view text, std::int64_t& out) {
  std::int64_t v = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec == std::errc::result_out_of_range) {
    return "expected an integer that fits in 64 bits, found " + quoted(text);
  }
  if (text.empty() || ec != std::errc() || ptr != end) {
    return "expected an integer, found " + quoted(text);
  }
  out = v;
  return "";
}

std::string parse_number(std::string_view text, double& out) {
  double v = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(v)) {
    return "expected a number, found " + quoted(text);
  }
  out = v;
  return "";
}

std::string OptionValues::set(const OptionSpec& spec, const std::string& text) {
  Value v{spec.type, 0, 0, {}};
  std::string err;
  switch (spec.type) {
    case OptionType::boolean:
      if (text != "true" && text != "false") err = "expected true or false, found " + quoted(text);
      v.i = text == "true" ? 1 : 0;
      break;
    case OptionType::integer:
      err = parse_integer(text, v.i);
      break;
    case OptionType::duration:
      err = parse_duration(text, v.i);
      if (err.empty() && v.i < 0) err = "expected a non-negative duration, found " + quoted(text);
      break;
    case OptionType::probability:
      if (!parse_number(text, v.d).empty() || !(v.d >= 0 && v.d <= 1)) {
        err = "expected a probability in [0, 1], found " + quoted(text);
      }
      break;
    case OptionType::choice:
      v.s = text;
      err = choice_error(spec.choices, text);
      break;
  }
  if (!err.empty()) return err;
  values_[spec.key] = std::move(v);
  return "";
}

void OptionValues::fill_defaults(const OptionSchema& schema) {
  for (const OptionSpec& spec : schema) {
    if (has(spec.key)) continue;
    const std::string err = set(spec, spec.default_value);
    TXSIM_ASSERT_MSG(err.empty(), "an option's default value does not parse under its type");
  }
}

const OptionValues::Value& OptionValues::find(std::string_view key, OptionType type) const {
  const auto it = values_.find(key);
  TXSIM_ASSERT_MSG(it != values_.end(), "option read but not declared in the schema");
  TXSIM_ASSERT_MSG(it->second.type == type, "option read with a type other than its schema's");
  return it->second;
}

bool OptionValues::get_bool(std::string_view key) const {
  return find(key, OptionType::boolean).i != 0;
}

std::int64_t OptionValues::get_int(std::string_view key) const {
  return find(key, OptionType::integer).i;
}

Micros OptionValues::get_duration(std::string_view key) const {
  return find(key, OptionType::duration).i;
}

double OptionValues::get_probability(std::string_view key) const {
  return find(key, OptionType::probability).d;
}

const std::string& OptionValues::get_choice(std::string_view key) const {
  return find(key, OptionType::choice).s;
}

}  // namespace txsim
