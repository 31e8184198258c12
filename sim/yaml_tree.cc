// The only translation unit that includes yaml-cpp: it turns yaml-cpp's parse events into a
// YamlNode tree, and every yaml-cpp exception into an Error.
#include "sim/yaml_tree.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <exception>
#include <map>
#include <sstream>

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

// Builds a YamlNode tree from yaml-cpp's parse events, checking keys, anchors and the size
// budget on the way. After the first error it ignores every further event.
class TreeBuilder : public YAML::EventHandler {
 public:
  explicit TreeBuilder(const std::string& file) : file_(file) {}

  bool failed() const { return failed_; }
  const Error& error() const { return error_; }
  std::size_t start() const { return start_pos_; }
  YamlNode& root() { return root_; }

  void OnDocumentStart(const YAML::Mark& mark) override { start_pos_ = mark.pos; }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (YamlNode* n = begin(mark, YamlNode::Kind::null)) finish(std::move(*n), anchor);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    YamlNode* n = begin(mark, YamlNode::Kind::scalar);
    if (n == nullptr) return;
    n->text = value;
    n->plain = tag == "?";
    finish(std::move(*n), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (failed_) return;
    const auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {  // an alias inside the node its anchor names
      fail(mark, path_of_next(), "an alias cannot refer to the node that contains it");
      return;
    }
    count_ += it->second.size - 1;
    YamlNode* n = begin(mark, YamlNode::Kind::null);
    if (n == nullptr) return;
    *n = it->second.node;
    n->line = one_based(mark.line);
    n->col = one_based(mark.column);
    finish(std::move(*n), 0);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, YamlNode::Kind::list, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, YamlNode::Kind::map, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    YamlNode node;
    std::string path;
    YAML::anchor_t anchor = 0;
    std::size_t first_count = 0;  // count_ when the frame opened, to size anchored subtrees
    bool has_key = false;         // a map frame holding a key that waits for its value
    YamlNode key;
  };
  struct Anchored {
    YamlNode node;
    std::size_t size = 0;
  };

  // Starts a node at `mark`, charging the budget; nullptr after an error.
  YamlNode* begin(const YAML::Mark& mark, YamlNode::Kind kind) {
    if (failed_) return nullptr;
    if (++count_ > kYamlNodesMax) {
      fail(mark, path_of_next(),
           "the document is too large (more than " + std::to_string(kYamlNodesMax) +
               " values, aliases expanded)");
      return nullptr;
    }
    scratch_ = YamlNode{};
    scratch_.kind = kind;
    scratch_.line = one_based(mark.line);
    scratch_.col = one_based(mark.column);
    return &scratch_;
  }

  void open(const YAML::Mark& mark, YamlNode::Kind kind, YAML::anchor_t anchor) {
    const std::size_t before = count_;
    YamlNode* n = begin(mark, kind);
    if (n == nullptr) return;
    if (!stack_.empty() && stack_.back().node.is_map() && !stack_.back().has_key) {
      fail(mark, stack_.back().path,
           std::string("map keys must be plain names, found a ") +
               (kind == YamlNode::Kind::map ? "map" : "list"));
      return;
    }
    std::string path = path_of_next();
    stack_.push_back(Frame{std::move(*n), std::move(path), anchor, before, false, {}});
  }

  void close() {
    if (failed_ || stack_.empty()) return;
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (f.anchor != 0) anchors_[f.anchor] = Anchored{f.node, count_ - f.first_count};
    place(std::move(f.node));
  }

  void finish(YamlNode&& n, YAML::anchor_t anchor) {
    if (anchor != 0) anchors_[anchor] = Anchored{n, 1};
    place(std::move(n));
  }

  // Puts a complete node where it belongs: the root, a list item, a map key or a map value.
  void place(YamlNode&& n) {
    if (stack_.empty()) {
      root_ = std::move(n);
      return;
    }
    Frame& top = stack_.back();
    if (top.node.is_list()) {
      top.node.children.push_back(std::move(n));
    } else if (!top.has_key) {
      take_key(top, std::move(n));
    } else {
      n.key = std::move(top.key.text);
      n.key_line = top.key.line;
      n.key_col = top.key.col;
      if (n.is_null()) {  // an empty value is marked at the next token: use its key's place
        n.line = n.key_line;
        n.col = n.key_col;
      }
      top.has_key = false;
      top.node.children.push_back(std::move(n));
    }
  }

  void take_key(Frame& top, YamlNode&& key) {
    if (!key.is_scalar()) {
      fail_at(key.line, key.col, top.path, "map keys must be plain names, found an empty key");
      return;
    }
    if (const YamlNode* first = top.node.find(key.text)) {
      fail_at(key.line, key.col, child_path(top.path, key.text),
              "duplicate key (first written on line " + std::to_string(first->key_line) +
                  "); each key may appear once");
      return;
    }
    top.key = std::move(key);
    top.has_key = true;
  }

  // The dotted path of the node about to be placed.
  std::string path_of_next() const {
    if (stack_.empty()) return "";
    const Frame& top = stack_.back();
    if (top.node.is_list()) return index_path(top.path, top.node.children.size());
    return top.has_key ? child_path(top.path, top.key.text) : top.path;
  }

  void fail(const YAML::Mark& mark, const std::string& path, const std::string& what) {
    fail_at(one_based(mark.line), one_based(mark.column), path, what);
  }

  void fail_at(int line, int col, const std::string& path, const std::string& what) {
    if (failed_) return;
    failed_ = true;
    error_.message = located_error(file_, line, col, path, what);
  }

  const std::string& file_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Anchored> anchors_;
  YamlNode root_;
  YamlNode scratch_;
  std::size_t count_ = 0;
  std::size_t start_pos_ = 0;
  bool failed_ = false;
  Error error_;
};

std::string at(const std::string& file, const YAML::Mark& mark) {
  return file + ":" + std::to_string(one_based(mark.line)) + ":" +
         std::to_string(one_based(mark.column)) + ": error: ";
}

std::string at(const std::string& file, const std::string& text, std::size_t pos) {
  int line = 1, col = 1;
  for (std::size_t i = 0; i < pos && i < text.size(); ++i) {
    col = text[i] == '\n' ? 1 : col + 1;
    line += text[i] == '\n' ? 1 : 0;
  }
  return file + ":" + std::to_string(line) + ":" + std::to_string(col) + ": error: ";
}

// Tabs cannot indent YAML, and yaml-cpp's message does not say so.
std::string tab_hint(const std::string& text, const YAML::Mark& mark) {
  std::size_t begin = 0;
  for (int line = 0; line < mark.line && begin != std::string::npos; ++line) {
    begin = text.find('\n', begin);
    if (begin != std::string::npos) ++begin;
  }
  if (begin == std::string::npos) return "";
  const std::size_t indent_end = text.find_first_not_of(" \t", begin);
  const std::size_t tab = text.find('\t', begin);
  if (tab == std::string::npos || (indent_end != std::string::npos && tab > indent_end)) return "";
  return " (this line is indented with a tab; YAML indents with spaces only)";
}

// yaml-cpp 0.7 can stop consuming input and report empty documents forever (jbeder/yaml-cpp
// #1040, for example on a stray ','). So at most three documents are read, and a document that
// starts where the previous one started is that bug, reported as a syntax error.
Result<YamlNode> parse_events(const std::string& text, const std::string& file_label) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  TreeBuilder first(file_label);
  if (!parser.HandleNextDocument(first)) {
    return Error{file_label +
                 ":1:1: error: the file holds no YAML document; a scenario is a "
                 "map with at least the keys name, protocols, nodes and workload"};
  }
  if (first.failed()) return first.error();
  TreeBuilder second(file_label);
  if (!parser.HandleNextDocument(second)) return std::move(first.root());
  const std::size_t pos = second.start();
  TreeBuilder third(file_label);
  const bool stuck =
      pos == first.start() || (parser.HandleNextDocument(third) && third.start() == pos);
  if (stuck) {
    const std::string c = pos < text.size() ? std::string(1, text[pos]) : "end of file";
    return Error{at(file_label, text, pos) + "malformed YAML: unexpected '" + c + "'"};
  }
  return Error{at(file_label, text, pos) +
               "malformed YAML: expected one document, found several (remove the extra '---')"};
}

}  // namespace

Result<YamlNode> parse_yaml(const std::string& text, const std::string& file_label) {
  try {
    return parse_events(text, file_label);
  } catch (const YAML::Exception& e) {
    return Error{at(file_label, e.mark) + "malformed YAML: " + e.msg + tab_hint(text, e.mark)};
  } catch (const std::exception& e) {
    return Error{file_label + ": error: cannot read YAML: " + e.what()};
  }
}

}  // namespace txsim
