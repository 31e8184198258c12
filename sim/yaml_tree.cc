// The only translation unit that includes yaml-cpp: it parses text and copies the result into
// YamlNode values, turning every yaml-cpp exception into an Error.
#include "sim/yaml_tree.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <exception>
#include <map>

namespace txsim {

const YamlNode* YamlNode::find(std::string_view k) const {
  if (kind != Kind::map) return nullptr;
  for (const YamlNode& c : children) {
    if (c.key == k) return &c;
  }
  return nullptr;
}

std::string child_path(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string p(parent);
  p += '.';
  p += key;
  return p;
}

std::string index_path(std::string_view parent, std::size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

std::string located_error(std::string_view file, int line, int col, std::string_view path,
                          std::string_view what) {
  std::string m(file);
  m += ':' + std::to_string(line) + ':' + std::to_string(col) + ": error: ";
  if (path.empty()) {
    m += "top level: ";
  } else {
    m += "key '";
    m += path;
    m += "': ";
  }
  m += what;
  return m;
}

namespace {

int one_based(int zero_based) { return std::max(zero_based, 0) + 1; }

// Copies a yaml-cpp tree, checking keys and the size budget on the way.
class TreeCopier {
 public:
  explicit TreeCopier(const std::string& file) : file_(file) {}

  bool copy(const YAML::Node& in, const std::string& path, YamlNode& out) {
    if (++count_ > kYamlNodesMax) {
      return fail(in.Mark(), path, "the document is too large (more than " +
                                       std::to_string(kYamlNodesMax) +
                                       " values, aliases expanded)");
    }
    out.line = one_based(in.Mark().line);
    out.col = one_based(in.Mark().column);
    switch (in.Type()) {
      case YAML::NodeType::Scalar:
        out.kind = YamlNode::Kind::scalar;
        out.text = in.Scalar();
        out.plain = in.Tag() == "?";
        return true;
      case YAML::NodeType::Sequence:
        return copy_list(in, path, out);
      case YAML::NodeType::Map:
        return copy_map(in, path, out);
      default:
        out.kind = YamlNode::Kind::null;
        return true;
    }
  }

  const Error& error() const { return error_; }

 private:
  bool copy_list(const YAML::Node& in, const std::string& path, YamlNode& out) {
    out.kind = YamlNode::Kind::list;
    out.children.reserve(in.size());
    for (const auto& item : in) {
      const std::string item_path = index_path(path, out.children.size());
      if (!copy(item, item_path, out.children.emplace_back())) return false;
    }
    return true;
  }

  bool copy_map(const YAML::Node& in, const std::string& path, YamlNode& out) {
    out.kind = YamlNode::Kind::map;
    std::map<std::string, int> first_line;
    for (const auto& entry : in) {  // a value: binding members of it->first would dangle
      const YAML::Node key = entry.first;
      if (!key.IsScalar()) {
        return fail(key.Mark(), path, "map keys must be plain names, found a " +
                                          std::string(key.IsMap() ? "map" : key.IsSequence()
                                                                                ? "list"
                                                                                : "empty key"));
      }
      const std::string k = key.Scalar();
      const std::string kpath = child_path(path, k);
      if (auto [pos, fresh] = first_line.emplace(k, one_based(key.Mark().line)); !fresh) {
        return fail(key.Mark(), kpath,
                    "duplicate key (first written on line " + std::to_string(pos->second) +
                        "); each key may appear once");
      }
      YamlNode& child = out.children.emplace_back();
      if (!copy(entry.second, kpath, child)) return false;
      child.key = k;
      child.key_line = one_based(key.Mark().line);
      child.key_col = one_based(key.Mark().column);
      if (child.is_null()) {  // yaml-cpp marks an empty value at the next token: use the key
        child.line = child.key_line;
        child.col = child.key_col;
      }
    }
    return true;
  }

  bool fail(const YAML::Mark& mark, const std::string& path, const std::string& what) {
    error_.message =
        located_error(file_, one_based(mark.line), one_based(mark.column), path, what);
    return false;
  }

  const std::string& file_;
  std::size_t count_ = 0;
  Error error_;
};

std::string at(const std::string& file, const YAML::Mark& mark) {
  return file + ":" + std::to_string(one_based(mark.line)) + ":" +
         std::to_string(one_based(mark.column)) + ": error: ";
}

}  // namespace

Result<YamlNode> parse_yaml(const std::string& text, const std::string& file_label) {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(text);
  } catch (const YAML::ParserException& e) {
    return Error{at(file_label, e.mark) + "malformed YAML: " + e.msg};
  } catch (const YAML::Exception& e) {
    return Error{at(file_label, e.mark) + "malformed YAML: " + e.msg};
  } catch (const std::exception& e) {
    return Error{file_label + ": error: cannot read YAML: " + e.what()};
  }
  if (docs.empty()) {
    return Error{file_label + ":1:1: error: the file holds no YAML document; a scenario is a "
                              "map with at least the keys name, protocols, nodes and workload"};
  }
  if (docs.size() > 1) {
    return Error{at(file_label, docs[1].Mark()) + "malformed YAML: expected one document, found " +
                 std::to_string(docs.size()) + " (remove the extra '---')"};
  }
  try {
    YamlNode root;
    TreeCopier copier(file_label);
    if (!copier.copy(docs[0], "", root)) return copier.error();
    return root;
  } catch (const std::exception& e) {
    return Error{file_label + ": error: cannot read YAML: " + e.what()};
  }
}

}  // namespace txsim
