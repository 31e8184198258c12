// Reads a scenario's `check:` block: the model checker's fault budget, the partitions it may
// start, its timing model and its bounds (docs/scenarios.md#check).
#include <limits>

#include "sim/scenario_sections.h"

namespace txsim::loader {

namespace {

bool read_count(FieldReader& r, const YamlNode* v, std::string_view path, std::uint32_t& out) {
  if (v == nullptr) return true;
  std::int64_t n = 0;
  if (!r.integer(*v, path, 0, 1000, n)) return false;
  out = static_cast<std::uint32_t>(n);
  return true;
}

bool read_partition_choices(FieldReader& r, const YamlNode& v, const Scenario& s,
                            CheckBudget& c) {
  const std::string path = "check.partitions_allowed";
  if (!r.list(v, path, "partitions, each a list of groups such as [[P1], [C, P2]]", 1))
    return false;
  for (std::size_t i = 0; i < v.children.size(); ++i) {
    if (!read_partition_groups(r, v.children[i], index_path(path, i), s,
                               c.partition_choices.emplace_back()))
      return false;
  }
  return true;
}

}  // namespace

bool read_check(FieldReader& r, const YamlNode& n, Scenario& s) {
  if (!r.map(n, "check",
             {"crashes", "drops", "duplicates", "partitions", "partitions_allowed", "timeouts",
              "liveness_depth", "max_states", "max_depth", "symmetry", "blocking"}))
    return false;
  CheckBudget& c = s.check;
  c.present = true;
  if (!read_count(r, n.find("crashes"), "check.crashes", c.crashes) ||
      !read_count(r, n.find("drops"), "check.drops", c.drops) ||
      !read_count(r, n.find("duplicates"), "check.duplicates", c.duplicates) ||
      !read_count(r, n.find("partitions"), "check.partitions", c.partitions))
    return false;
  if (const YamlNode* v = n.find("partitions_allowed")) {
    if (!read_partition_choices(r, *v, s, c)) return false;
    if (c.partitions == 0)
      return r.fail(*v, "check.partitions_allowed",
                    "expected check.partitions >= 1 too: without a partition budget the checker "
                    "starts none of these");
  }
  if (const YamlNode* v = n.find("timeouts")) {
    std::string t;
    if (!r.choice(*v, "check.timeouts", {"asynchronous", "synchronous"}, t)) return false;
    c.timeouts = t == "synchronous" ? CheckBudget::Timeouts::synchronous
                                    : CheckBudget::Timeouts::asynchronous;
  }
  std::int64_t v64 = 0;
  if (const YamlNode* v = n.find("liveness_depth")) {
    if (!r.integer(*v, "check.liveness_depth", 1, 10000, v64)) return false;
    c.liveness_depth = static_cast<std::uint32_t>(v64);
  }
  if (const YamlNode* v = n.find("max_states")) {
    if (!r.integer(*v, "check.max_states", 1, std::numeric_limits<std::int64_t>::max(), v64))
      return false;
    c.max_states = static_cast<std::uint64_t>(v64);
  }
  if (const YamlNode* v = n.find("max_depth")) {
    if (!r.integer(*v, "check.max_depth", 1, 1000000, v64)) return false;
    c.max_depth = static_cast<std::uint32_t>(v64);
  }
  if (const YamlNode* b = n.find("blocking"); b && !r.boolean(*b, "check.blocking", c.blocking))
    return false;
  const YamlNode* sym = n.find("symmetry");
  if (sym == nullptr) return true;
  c.symmetry_line = sym->key_line;
  c.symmetry_col = sym->key_col;
  return r.boolean(*sym, "check.symmetry", c.symmetry);
}

}  // namespace txsim::loader
