// The scenario loader's entry points and its top level: `name`, `explain`, `protocols`,
// `seed`, `run`, `options` and `expect`. The other sections live in scenario_*.cc.
#include "sim/scenario_loader.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>

#include "sim/saga_loader.h"
#include "sim/scenario_sections.h"

namespace txsim {

namespace {

using loader::read_accounts;
using loader::read_check;
using loader::read_clocks;
using loader::read_faults;
using loader::read_network;
using loader::read_nodes;
using loader::read_workload;

const Names kTopKeys = {"name",     "explain", "protocols", "seed",    "nodes",
                        "clocks",   "accounts", "workload", "network", "faults",
                        "run",      "options",  "check",    "expect",  "saga"};

bool is_known_protocol(const LoadContext& ctx, const std::string& name) {
  if (ctx.schema) return ctx.schema(name) != nullptr;
  const auto& known = ctx.known_protocols;
  return std::find(known.begin(), known.end(), name) != known.end();
}

const OptionSchema* schema_of(const LoadContext& ctx, const std::string& name) {
  return ctx.schema ? ctx.schema(name) : nullptr;
}

bool read_protocols(FieldReader& r, const YamlNode& n, const LoadContext& ctx, Scenario& s) {
  if (!r.list(n, "protocols", "protocol names, such as [two_phase]", 1)) return false;
  const Names known = as_names(ctx.known_protocols);
  for (std::size_t i = 0; i < n.children.size(); ++i) {
    const std::string path = index_path("protocols", i);
    std::string name;
    if (!r.name(n.children[i], path, "a protocol name", name)) return false;
    if (!is_known_protocol(ctx, name)) {
      return r.fail(n.children[i], path,
                    "unknown protocol '" + name + "'; expected one of " + join_names(known) +
                        suggestion(name, known));
    }
    if (std::find(s.protocols.begin(), s.protocols.end(), name) != s.protocols.end()) {
      return r.fail(n.children[i], path,
                    "expected each protocol once, found '" + name + "' a second time");
    }
    s.protocols.push_back(name);
  }
  return true;
}

bool read_run(FieldReader& r, const YamlNode& n, RunLimits& limits) {
  if (!r.map(n, "run", {"time_limit", "max_events", "stop_on_violation"})) return false;
  if (const YamlNode* v = n.find("time_limit")) {
    if (!r.duration(*v, "run.time_limit", FieldReader::Sign::positive, limits.time_limit)) {
      return false;
    }
  }
  if (const YamlNode* v = n.find("max_events")) {
    std::int64_t max_events = 0;
    if (!r.integer(*v, "run.max_events", 1, FieldReader::kIntMax, max_events)) return false;
    limits.max_events = static_cast<std::uint64_t>(max_events);
  }
  const YamlNode* v = n.find("stop_on_violation");
  return v == nullptr || r.boolean(*v, "run.stop_on_violation", limits.stop_on_violation);
}

std::string_view type_name(OptionType type) {
  switch (type) {
    case OptionType::boolean:
      return "true or false";
    case OptionType::integer:
      return "an integer";
    case OptionType::duration:
      return "a duration such as 50ms";
    case OptionType::probability:
      return "a probability in [0, 1]";
    case OptionType::choice:
      return "one of its choices";
  }
  return "a value";
}

bool read_option(FieldReader& r, const YamlNode& v, const std::string& path, const OptionSpec& spec,
                 OptionValues& values) {
  const bool typed_scalar = spec.type == OptionType::boolean || spec.type == OptionType::integer ||
                            spec.type == OptionType::probability;
  if (!v.is_scalar() || (typed_scalar && !v.plain)) {
    return r.fail(v, path,
                  "expected " + std::string(type_name(spec.type)) + ", found " + describe(v));
  }
  const std::string err = values.set(spec, v.text);
  return err.empty() || r.fail(v, path, err);
}

bool read_protocol_options(FieldReader& r, const YamlNode& entry, const std::string& path,
                           const OptionSchema& schema, OptionValues& values) {
  Names keys;
  for (const OptionSpec& spec : schema) keys.push_back(spec.key);
  if (!entry.is_map()) {
    return r.fail(entry, path,
                  "expected a map of options of " + entry.key + " (" + join_names(keys) +
                      "), found " + describe(entry));
  }
  for (const YamlNode& v : entry.children) {
    const std::string p = child_path(path, v.key);
    const auto spec = std::find_if(schema.begin(), schema.end(),
                                   [&](const OptionSpec& o) { return o.key == v.key; });
    if (spec == schema.end()) {
      return r.fail_key(v, p,
                        "unknown option of " + entry.key + "; expected one of " + join_names(keys) +
                            suggestion(v.key, keys));
    }
    if (!read_option(r, v, p, *spec, values)) return false;
  }
  return true;
}

bool read_options(FieldReader& r, const YamlNode* n, const LoadContext& ctx, Scenario& s) {
  for (const std::string& p : s.protocols) s.options[p];
  const std::vector<YamlNode> none;
  if (n != nullptr && !n->is_map()) {
    return r.fail(*n, "options",
                  "expected a map from protocol name to its options, such as "
                  "{two_phase: {prepare_timeout: 50ms}}, found " +
                      describe(*n));
  }
  const OptionSchema no_options;
  for (const YamlNode& entry : n != nullptr ? n->children : none) {
    const std::string path = child_path("options", entry.key);
    if (s.options.count(entry.key) == 0) {
      return r.fail_key(entry, path,
                        "expected a protocol of this scenario (" +
                            join_names(as_names(s.protocols)) + "), found '" + entry.key + "'");
    }
    const OptionSchema* schema = schema_of(ctx, entry.key);
    if (!read_protocol_options(r, entry, path, schema ? *schema : no_options,
                               s.options[entry.key])) {
      return false;
    }
  }
  for (auto& [protocol, values] : s.options) {
    if (const OptionSchema* schema = schema_of(ctx, protocol)) values.fill_defaults(*schema);
  }
  return true;
}

bool read_outcome(FieldReader& r, const YamlNode& v, const std::string& path, Outcome& out) {
  std::string text;
  if (!r.choice(v, path, {"commit", "abort", "undecided", "mixed"}, text)) return false;
  out = text == "commit"  ? Outcome::commit
        : text == "abort" ? Outcome::abort
        : text == "mixed" ? Outcome::mixed
                          : Outcome::undecided;
  return true;
}

bool read_outcomes(FieldReader& r, const YamlNode& n, const Scenario& s, Expectation& e) {
  if (!n.is_map()) {
    return r.fail(n, "expect.outcomes",
                  "expected a map from transaction id to commit, abort, "
                  "undecided or mixed, such as {t1: commit}, found " +
                      describe(n));
  }
  for (const YamlNode& v : n.children) {
    const std::string path = child_path("expect.outcomes", v.key);
    TxId tx = kNoTx;
    if (!loader::read_tx_key(r, v, path, s, tx)) return false;
    if (!read_outcome(r, v, path, e.outcomes[tx])) return false;
  }
  return true;
}

// One expectation block at `path` ("expect" or "expect.<protocol>").
bool read_expectation(FieldReader& r, const YamlNode& n, const std::string& path,
                      const LoadContext& ctx, const Scenario& s, Expectation& e,
                      const Names& protocol_keys) {
  Names keys = {"outcome", "outcomes", "violation", "blocked", "check"};
  keys.insert(keys.end(), protocol_keys.begin(), protocol_keys.end());
  if (!r.map(n, path, keys)) return false;
  if (const YamlNode* v = n.find("outcome")) {
    if (!read_outcome(r, *v, path + ".outcome", e.outcome.emplace())) return false;
  }
  if (const YamlNode* v = n.find("outcomes")) {
    if (!read_outcomes(r, *v, s, e)) return false;
  }
  if (const YamlNode* v = n.find("violation")) {
    Names ids = {"none"};
    for (const std::string& id : ctx.invariant_ids) ids.push_back(id);
    if (!r.choice(*v, path + ".violation", ids, e.violation.emplace())) return false;
  }
  if (const YamlNode* v = n.find("check")) {  // the model checker's verdict
    Names verdicts = {"ok", "blocking"};
    for (const std::string& id : ctx.invariant_ids) verdicts.push_back(id);
    if (!r.choice(*v, path + ".check", verdicts, e.check.emplace())) return false;
    if (!s.check.present)
      return r.fail(*v, path + ".check",
                    "expected a `check:` block: a checker verdict needs a budget");
  }
  const YamlNode* v = n.find("blocked");
  return v == nullptr || r.boolean(*v, path + ".blocked", e.blocked.emplace());
}

// `expect:`, with an optional override block per protocol of a side-by-side scenario.
bool read_expect(FieldReader& r, const YamlNode& n, const LoadContext& ctx, Scenario& s) {
  const Names protocols(s.protocols.begin(), s.protocols.end());
  if (!read_expectation(r, n, "expect", ctx, s, s.expect, protocols)) return false;
  for (const std::string& name : s.protocols) {
    const YamlNode* v = n.find(name);
    if (v == nullptr) continue;
    Expectation e;
    if (!read_expectation(r, *v, "expect." + name, ctx, s, e, {})) return false;
    s.expect.by_protocol.emplace_back(name, std::move(e));
  }
  return true;
}

bool read_header(FieldReader& r, const YamlNode& root, const LoadContext& ctx, Scenario& s) {
  if (!r.text(*root.find("name"), "name", s.name)) return false;
  if (s.name.empty()) return r.fail(*root.find("name"), "name", "expected a non-empty name");
  if (const YamlNode* v = root.find("explain")) {
    if (!r.text(*v, "explain", s.explain)) return false;
    while (!s.explain.empty() && (s.explain.back() == '\n' || s.explain.back() == ' ')) {
      s.explain.pop_back();
    }
  }
  if (!read_protocols(r, *root.find("protocols"), ctx, s)) return false;
  const YamlNode* seed = root.find("seed");
  return seed == nullptr || r.unsigned_integer(*seed, "seed", s.seed);
}

bool read_scenario(FieldReader& r, const YamlNode& root, const LoadContext& ctx, Scenario& s) {
  if (!r.map(root, "", kTopKeys, {"name", "protocols", "nodes", "workload"})) return false;
  if (!read_header(r, root, ctx, s)) return false;
  if (!read_nodes(r, *root.find("nodes"), s)) return false;
  if (const YamlNode* v = root.find("clocks"); v && !read_clocks(r, *v, s)) return false;
  if (const YamlNode* v = root.find("accounts"); v && !read_accounts(r, *v, s)) return false;
  if (!read_workload(r, *root.find("workload"), s)) return false;
  if (const YamlNode* v = root.find("saga"); v && !loader::read_saga(r, *v, root, s)) return false;
  if (const YamlNode* v = root.find("network"); v && !read_network(r, *v, s)) return false;
  if (const YamlNode* v = root.find("faults"); v && !read_faults(r, *v, s)) return false;
  if (const YamlNode* v = root.find("run"); v && !read_run(r, *v, s.limits)) return false;
  if (!read_options(r, root.find("options"), ctx, s)) return false;
  if (const YamlNode* v = root.find("check"); v && !read_check(r, *v, s)) return false;
  const YamlNode* expect = root.find("expect");
  return expect == nullptr || read_expect(r, *expect, ctx, s);
}

Result<Scenario> load_text(const std::string& text, const std::string& file_label,
                           const LoadContext& ctx) {
  Result<YamlNode> doc = parse_yaml(text, file_label);
  if (!doc) return doc.error();
  FieldReader r(file_label);
  Scenario s;
  s.file = file_label;
  if (!read_scenario(r, *doc, ctx, s)) return r.error();
  return s;
}

}  // namespace

Result<Scenario> load_scenario_text(const std::string& text, const std::string& file_label,
                                    const LoadContext& ctx) {
  try {
    return load_text(text, file_label, ctx);
  } catch (const std::exception& e) {  // only std::bad_alloc and kin can get here
    return Error{file_label + ": error: cannot load scenario: " + e.what()};
  }
}

Result<Scenario> load_scenario_file(const std::string& path, const LoadContext& ctx) {
  const auto fail = [&path] {
    return Error{path + ": error: cannot open scenario file: " + std::strerror(errno)};
  };
  errno = 0;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) return fail();
  std::string text;
  char buf[1 << 16];
  std::size_t got = 0;
  while ((got = std::fread(buf, 1, sizeof buf, file.get())) > 0) text.append(buf, got);
  if (std::ferror(file.get())) return fail();
  return load_scenario_text(text, path, ctx);
}

}  // namespace txsim
