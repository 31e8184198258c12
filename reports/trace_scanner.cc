#include "reports/trace_scanner.h"

#include <cctype>

namespace txsim::report {

namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Four hex digits at s[i..i+4), or -1.
long hex4(std::string_view s, std::size_t i) {
  if (i + 4 > s.size()) return -1;
  long v = 0;
  for (std::size_t k = i; k < i + 4; ++k) {
    const int d = hex_digit(s[k]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

}  // namespace

std::string decode_json_string(std::string_view q) {
  std::string out;
  if (q.size() < 2) return out;
  const std::string_view s = q.substr(1, q.size() - 2);
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out.push_back(s[i]);
      continue;
    }
    const char c = s[++i];
    switch (c) {
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'u': {
        long cp = hex4(s, i + 1);
        if (cp < 0) {
          out.push_back('?');
          break;
        }
        i += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && i + 2 < s.size() && s[i + 1] == '\\' &&
            s[i + 2] == 'u') {
          const long lo = hex4(s, i + 3);
          if (lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          }
        }
        append_utf8(out, static_cast<std::uint32_t>(cp));
        break;
      }
      default: out.push_back(c); break;  // \" \\ \/
    }
  }
  return out;
}

bool LineScanner::blank() const {
  for (std::size_t p = begin_; p < end_; ++p)
    if (s_[p] != ' ' && s_[p] != '\t' && s_[p] != '\r') return false;
  return true;
}

Error LineScanner::error_at(std::size_t pos, const std::string& message) const {
  const std::size_t col = (pos >= begin_ ? pos - begin_ : 0) + 1;
  return Error{file_ + ":" + std::to_string(line_) + ":" + std::to_string(col) +
               ": error: " + message};
}

Error LineScanner::expected(const Value& v, std::string_view key, const char* what) const {
  std::string got(view(v));
  if (got.size() > 40) got = got.substr(0, 37) + "...";
  return error_at(v.pos, "key '" + std::string(key) + "': expected " + what + ", got " + got);
}

std::string LineScanner::decode(const Value& v) const {
  return v.kind == Value::string ? decode_json_string(view(v)) : std::string(view(v));
}

std::optional<Error> LineScanner::string_into(const Value& v, std::string_view key,
                                              std::string& out) const {
  if (v.kind != Value::string) return expected(v, key, "a string");
  out = decode(v);
  return std::nullopt;
}

// p at an opening quote; leaves p just past the closing one.
std::optional<Error> LineScanner::string_end(std::size_t& p, std::size_t stop) const {
  const std::size_t open = p++;
  while (p < stop) {
    const char c = s_[p];
    if (c == '"') {
      ++p;
      return std::nullopt;
    }
    if (c == '\\') ++p;
    ++p;
  }
  return error_at(open, "unterminated string");
}

std::optional<Error> LineScanner::value(std::size_t& p, std::size_t stop, Value& out) const {
  out.pos = p;
  if (p >= stop) return error_at(p, "expected a value");
  const char c = s_[p];
  if (c == '"') {
    if (auto e = string_end(p, stop)) return e;
    out.kind = Value::string;
  } else if (c == '-' || (c >= '0' && c <= '9')) {
    std::size_t q = p;
    bool negative = false;
    if (s_[q] == '-') {
      negative = true;
      ++q;
    }
    if (q >= stop || s_[q] < '0' || s_[q] > '9') return error_at(p, "malformed number");
    std::uint64_t magnitude = 0;
    bool overflow = false;
    while (q < stop && s_[q] >= '0' && s_[q] <= '9') {
      const std::uint64_t next = magnitude * 10 + static_cast<std::uint64_t>(s_[q] - '0');
      if (next / 10 != magnitude) overflow = true;
      magnitude = next;
      ++q;
    }
    out.kind = Value::number;
    if (q < stop && (s_[q] == '.' || s_[q] == 'e' || s_[q] == 'E')) {
      out.kind = Value::real;
      ++q;
      while (q < stop && (std::isdigit(static_cast<unsigned char>(s_[q])) || s_[q] == '+' ||
                          s_[q] == '-' || s_[q] == 'e' || s_[q] == 'E' || s_[q] == '.'))
        ++q;
    } else if (overflow) {
      return error_at(p, "number out of range");
    }
    out.integer = negative ? -static_cast<std::int64_t>(magnitude)
                          : static_cast<std::int64_t>(magnitude);
    p = q;
  } else if (c == '{' || c == '[') {
    out.kind = c == '{' ? Value::object : Value::array;
    int depth = 0;
    const std::size_t open = p;
    while (p < stop) {
      const char d = s_[p];
      if (d == '"') {
        if (auto e = string_end(p, stop)) return e;
        continue;
      }
      if (d == '{' || d == '[') ++depth;
      if (d == '}' || d == ']') --depth;
      ++p;
      if (depth == 0) break;
    }
    if (depth != 0) return error_at(open, c == '{' ? "unclosed object" : "unclosed array");
  } else {
    auto literal = [&](std::string_view word, Value::Kind kind) {
      if (std::string_view(s_).substr(p, word.size()) != word || p + word.size() > stop)
        return false;
      out.kind = kind;
      p += word.size();
      return true;
    };
    if (!literal("true", Value::boolean) && !literal("false", Value::boolean) &&
        !literal("null", Value::null))
      return error_at(p, std::string("unexpected character '") + c + "'");
  }
  out.span = Span{static_cast<std::uint32_t>(out.pos), static_cast<std::uint32_t>(p - out.pos)};
  return std::nullopt;
}

}  // namespace txsim::report
