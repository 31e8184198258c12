// YamlNode: an owned, plain copy of one parsed YAML document, so that only yaml_tree.cc ever
// sees yaml-cpp (an implementation detail of scenario loading, kept out of every header).
//
// Invariants of a tree returned by parse_yaml:
// - positions are 1-based (line, column), as editors and compilers print them;
// - map entries keep file order, every key is a scalar, and no key appears twice in one map
//   (a duplicate is reported as an error instead of being silently overwritten);
// - the tree is bounded: aliases are expanded, but at most kYamlNodesMax values are copied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/types.h"

namespace txsim {

inline constexpr std::size_t kYamlNodesMax = 1'000'000;

struct YamlNode {
  enum class Kind : std::uint8_t { null, scalar, list, map };
  Kind kind = Kind::null;
  std::string text;   // scalar: its text
  bool plain = true;  // scalar written bare: not quoted, not a block scalar, no explicit tag
  int line = 1;       // where the value starts
  int col = 1;
  std::string key;   // a map entry: its key
  int key_line = 1;  // a map entry: where its key starts
  int key_col = 1;
  std::vector<YamlNode> children;  // list items or map entries, in file order

  bool is_null() const { return kind == Kind::null; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_list() const { return kind == Kind::list; }
  bool is_map() const { return kind == Kind::map; }
  // The value of `key` in a map, or nullptr when absent (or when this is not a map).
  const YamlNode* find(std::string_view key) const;
};

// Parses `text` (one YAML document) into a tree. Errors are formatted with `file_label`:
// "FILE:LINE:COL: error: malformed YAML: ..." or a duplicate-key / size error.
Result<YamlNode> parse_yaml(const std::string& text, const std::string& file_label);

// "network" + "latency" -> "network.latency"; "" + "name" -> "name".
std::string child_path(std::string_view parent, std::string_view key);
// "faults" + 2 -> "faults[2]".
std::string index_path(std::string_view parent, std::size_t index);

// "FILE:LINE:COL: error: key 'PATH': WHAT", the one shape of every located loader error
// (an empty path, the document itself, prints as "top level: WHAT").
std::string located_error(std::string_view file, int line, int col, std::string_view path,
                          std::string_view what);

}  // namespace txsim
