// LineScanner: reads one line of a trace file as a flat JSON object, in place.
//
// Why not a JSON library: a trace line is a flat object whose nested parts (payloads, states)
// are only kept as spans, so a scanner that skips nested values without building them reads a
// million lines in a fraction of the time a DOM parser takes. It is still a real JSON reader
// for the parts it decodes (escapes, \u sequences, literals), and every error it returns names
// file:line:col.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "reports/trace_document.h"

namespace txsim::report {

// A JSON string literal (with its quotes) as UTF-8 text.
std::string decode_json_string(std::string_view quoted);

struct Value {
  enum Kind : std::uint8_t { string, number, real, object, array, boolean, null } kind = null;
  std::size_t pos = 0;      // offset in the file of the value's first character
  std::size_t key_pos = 0;  // offset of its key (of the value itself inside arrays)
  Span span;                // the value's raw text
  std::int64_t integer = 0;  // kind == number
};

class LineScanner {
 public:
  LineScanner(const std::string& text, std::size_t begin, std::size_t end, std::uint32_t line,
              const std::string& file)
      : s_(text), begin_(begin), end_(end), line_(line), file_(file) {}

  bool blank() const;
  std::size_t begin() const { return begin_; }

  Error error_at(std::size_t pos, const std::string& message) const;
  Error expected(const Value& v, std::string_view key, const char* what) const;
  std::string decode(const Value& v) const;  // a string value's text
  std::string raw(const Value& v) const { return std::string(view(v)); }
  // A string value's characters between the quotes, escapes left as written (fast lookups).
  std::string_view plain(const Value& v) const { return view(v).substr(1, v.span.length - 2); }
  std::optional<Error> string_into(const Value& v, std::string_view key, std::string& out) const;

  // The whole line as one object: calls on_member(key, value) per member, in order.
  template <class F>
  std::optional<Error> object(F&& on_member) {
    std::size_t p = begin_;
    if (auto e = members(p, end_, on_member)) return e;
    skip_space(p, end_);
    if (p != end_) return error_at(p, "text after the object");
    return std::nullopt;
  }
  // A nested object value.
  template <class F>
  std::optional<Error> object_at(const Value& v, F&& on_member) {
    if (v.kind != Value::object) return error_at(v.pos, "expected an object");
    std::size_t p = v.span.offset;
    return members(p, v.span.offset + v.span.length, on_member);
  }
  // An array value: on_item(value) per element.
  template <class F>
  std::optional<Error> array(const Value& v, std::string_view key, F&& on_item) {
    if (v.kind != Value::array) return expected(v, key, "an array");
    std::size_t p = v.span.offset + 1;
    const std::size_t stop = v.span.offset + v.span.length - 1;
    skip_space(p, stop);
    while (p < stop) {
      Value item;
      if (auto e = value(p, stop, item)) return e;
      item.key_pos = item.pos;
      if (auto e = on_item(item)) return e;
      skip_space(p, stop);
      if (p < stop) {
        if (s_[p] != ',') return error_at(p, "expected ',' between array elements");
        ++p;
        skip_space(p, stop);
      }
    }
    return std::nullopt;
  }

 private:
  std::string_view view(const Value& v) const {
    return std::string_view(s_).substr(v.span.offset, v.span.length);
  }
  void skip_space(std::size_t& p, std::size_t stop) const {
    while (p < stop && (s_[p] == ' ' || s_[p] == '\t' || s_[p] == '\r')) ++p;
  }
  std::optional<Error> string_end(std::size_t& p, std::size_t stop) const;
  std::optional<Error> value(std::size_t& p, std::size_t stop, Value& out) const;

  template <class F>
  std::optional<Error> members(std::size_t& p, std::size_t stop, F& on_member) {
    skip_space(p, stop);
    if (p >= stop || s_[p] != '{') return error_at(p, "expected '{' (a JSON object)");
    ++p;
    skip_space(p, stop);
    if (p < stop && s_[p] == '}') {
      ++p;
      return std::nullopt;
    }
    while (true) {
      skip_space(p, stop);
      if (p >= stop || s_[p] != '"') return error_at(p, "expected a key in double quotes");
      const std::size_t key_pos = p;
      if (auto e = string_end(p, stop)) return e;
      std::string_view key = std::string_view(s_).substr(key_pos + 1, p - key_pos - 2);
      std::string decoded;
      if (key.find('\\') != std::string_view::npos) {
        decoded = decode_json_string(std::string_view(s_).substr(key_pos, p - key_pos));
        key = decoded;
      }
      skip_space(p, stop);
      if (p >= stop || s_[p] != ':') return error_at(p, "expected ':' after a key");
      ++p;
      skip_space(p, stop);
      Value v;
      if (auto e = value(p, stop, v)) return e;
      v.key_pos = key_pos;
      if (auto e = on_member(key, v)) return e;
      skip_space(p, stop);
      if (p < stop && s_[p] == ',') {
        ++p;
        continue;
      }
      if (p < stop && s_[p] == '}') {
        ++p;
        return std::nullopt;
      }
      return error_at(p, "expected ',' or '}' after a value");
    }
  }

  const std::string& s_;
  std::size_t begin_, end_;
  std::uint32_t line_;
  const std::string& file_;
};

}  // namespace txsim::report
