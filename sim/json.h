// JsonLine: a tiny writer for one JSON object with keys in the order they are written.
// Trace files need a stable key order and no locale or float surprises, so txsim writes its
// JSON by hand: strings are escaped per RFC 8259, numbers are integers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace txsim {

void append_json_string(std::string& out, std::string_view s);

class JsonLine {
 public:
  JsonLine() { out_.push_back('{'); }
  JsonLine& str(std::string_view key, std::string_view v) {
    sep(key);
    append_json_string(out_, v);
    return *this;
  }
  JsonLine& num(std::string_view key, std::int64_t v) {
    sep(key);
    out_ += std::to_string(v);
    return *this;
  }
  JsonLine& boolean(std::string_view key, bool v) {
    sep(key);
    out_ += v ? "true" : "false";
    return *this;
  }
  // `json` must already be valid JSON (an object or array written elsewhere).
  JsonLine& raw(std::string_view key, std::string_view json) {
    sep(key);
    out_ += json;
    return *this;
  }
  std::string& finish() {
    out_.push_back('}');
    return out_;
  }

 private:
  void sep(std::string_view key) {
    if (out_.size() > 1) out_.push_back(',');
    append_json_string(out_, key);
    out_.push_back(':');
  }
  std::string out_;
};

}  // namespace txsim
