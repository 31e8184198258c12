// Small JSON builders every protocol's describe.cc uses to print messages and states for
// traces, timelines and the GUI (docs/trace-format.md): a quoted string, an object member,
// an array item, a wrapped body.
//
// Why: each protocol had written these again. They build by appends on purpose: GCC 12 warns
// falsely (-Wrestrict) on `"literal" + std::string`. Keys are printed in call order, so the
// same state prints as the same bytes.
#pragma once

#include <string>
#include <string_view>

#include "sim/json.h"

namespace txsim {

// `text` as a JSON string literal, escaped.
inline std::string quoted(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

// Appends `"key":value` to a comma-separated object body; `value` is JSON already.
inline void member(std::string& list, std::string_view key, const std::string& value) {
  if (!list.empty()) list += ',';
  list += quoted(key);
  list += ':';
  list += value;
}

// Appends `value` (JSON already) to a comma-separated array body.
inline void item(std::string& list, const std::string& value) {
  if (!list.empty()) list += ',';
  list += value;
}

// open + body + close.
inline std::string wrap(std::string_view open, const std::string& body, std::string_view close) {
  std::string out(open);
  out += body;
  out += close;
  return out;
}
inline std::string braced(const std::string& body) { return wrap("{", body, "}"); }
inline std::string bracketed(const std::string& body) { return wrap("[", body, "]"); }

}  // namespace txsim
