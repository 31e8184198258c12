// Reads `network`: the latency law, loss, duplication, link ordering and per-link overrides.
#include "sim/scenario_sections.h"

namespace txsim::loader {

namespace {

using Sign = FieldReader::Sign;

bool read_uniform(FieldReader& r, const YamlNode& v, const std::string& path, Distribution& out) {
  if (!v.is_list() || v.children.size() != 2) {
    const std::string found =
        v.is_list() ? "a list of " + std::to_string(v.children.size()) + " item(s)" : describe(v);
    return r.fail(v, path, "expected a list of two durations [low, high], found " + found);
  }
  Micros lo = 0, hi = 0;
  if (!r.duration(v.children[0], index_path(path, 0), Sign::non_negative, lo)) return false;
  if (!r.duration(v.children[1], index_path(path, 1), Sign::non_negative, hi)) return false;
  if (hi < lo) {
    return r.fail(
        v.children[1], index_path(path, 1),
        "expected high >= low (" + format_duration(lo) + "), found " + format_duration(hi));
  }
  out = Distribution::uniform(lo, hi);
  return true;
}

// Reads the durations of a map such as {mean: 3ms, stddev: 1ms}; all keys are required.
bool read_duration_fields(FieldReader& r, const YamlNode& v, const std::string& path,
                          const Names& keys, Micros* out[]) {
  if (!r.map(v, path, keys, keys)) return false;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (!r.duration(*v.find(keys[i]), child_path(path, keys[i]), Sign::non_negative, *out[i])) {
      return false;
    }
  }
  return true;
}

bool read_lognormal(FieldReader& r, const YamlNode& v, const std::string& path, Distribution& out) {
  if (!r.map(v, path, {"median", "sigma"}, {"median", "sigma"})) return false;
  Micros median = 0;
  if (!r.duration(*v.find("median"), child_path(path, "median"), Sign::non_negative, median)) {
    return false;
  }
  const YamlNode& sigma_node = *v.find("sigma");
  const std::string sigma_path = child_path(path, "sigma");
  double sigma = 0;
  if (!r.number(sigma_node, sigma_path, sigma)) return false;
  if (!(sigma > 0)) {
    return r.fail(sigma_node, sigma_path,
                  "expected a number greater than 0, found " + describe(sigma_node));
  }
  out = Distribution::lognormal(median, sigma);
  return true;
}

bool read_override(FieldReader& r, const YamlNode& n, const std::string& path, const Scenario& s,
                   LinkSpec& out) {
  if (!r.map(n, path, {"from", "to", "latency", "loss", "duplicate"})) return false;
  if (!n.find("from") && !n.find("to")) {
    return r.fail(n, path, "expected 'from' and/or 'to' naming the link's nodes, found neither");
  }
  if (!n.find("latency") && !n.find("loss") && !n.find("duplicate")) {
    return r.fail(n, path,
                  "expected at least one of latency, loss, duplicate to override, "
                  "found none");
  }
  if (const YamlNode* v = n.find("from")) {
    if (!read_node_ref(r, *v, child_path(path, "from"), s, out.from)) return false;
  }
  if (const YamlNode* v = n.find("to")) {
    if (!read_node_ref(r, *v, child_path(path, "to"), s, out.to)) return false;
  }
  if (const YamlNode* v = n.find("latency")) {
    if (!read_distribution(r, *v, child_path(path, "latency"), out.latency.emplace())) {
      return false;
    }
  }
  if (const YamlNode* v = n.find("loss")) {
    if (!r.probability(*v, child_path(path, "loss"), out.loss.emplace())) return false;
  }
  if (const YamlNode* v = n.find("duplicate")) {
    if (!r.probability(*v, child_path(path, "duplicate"), out.duplicate.emplace())) return false;
  }
  return true;
}

bool read_overrides(FieldReader& r, const YamlNode& n, const Scenario& s, NetworkSpec& net) {
  const std::string path = "network.overrides";
  if (!r.list(n, path, "link overrides {from, to, latency, loss, duplicate}", 0)) return false;
  for (std::size_t i = 0; i < n.children.size(); ++i) {
    if (!read_override(r, n.children[i], index_path(path, i), s, net.links.emplace_back())) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool read_distribution(FieldReader& r, const YamlNode& n, std::string_view path,
                       Distribution& out) {
  const YamlNode* law = nullptr;
  if (!r.one_key(n, path, {"fixed", "uniform", "normal", "exponential", "lognormal"},
                 "a latency distribution", law)) {
    return false;
  }
  const std::string p = child_path(path, law->key);
  Micros a = 0, b = 0;
  if (law->key == "fixed") {
    if (!r.duration(*law, p, Sign::non_negative, a)) return false;
    out = Distribution::fixed(a);
    return true;
  }
  if (law->key == "uniform") return read_uniform(r, *law, p, out);
  if (law->key == "normal") {
    Micros* fields[] = {&a, &b};
    if (!read_duration_fields(r, *law, p, {"mean", "stddev"}, fields)) return false;
    out = Distribution::normal(a, b);
    return true;
  }
  if (law->key == "exponential") {
    Micros* fields[] = {&a};
    if (!read_duration_fields(r, *law, p, {"mean"}, fields)) return false;
    out = Distribution::exponential(a);
    return true;
  }
  return read_lognormal(r, *law, p, out);
}

bool read_network(FieldReader& r, const YamlNode& n, Scenario& s) {
  if (!r.map(n, "network", {"latency", "loss", "duplicate", "links", "overrides"})) return false;
  NetworkSpec& net = s.network;
  if (const YamlNode* v = n.find("latency")) {
    if (!read_distribution(r, *v, "network.latency", net.latency)) return false;
  }
  if (const YamlNode* v = n.find("loss")) {
    if (!r.probability(*v, "network.loss", net.loss)) return false;
  }
  if (const YamlNode* v = n.find("duplicate")) {
    if (!r.probability(*v, "network.duplicate", net.duplicate)) return false;
  }
  if (const YamlNode* v = n.find("links")) {
    std::string links;
    if (!r.choice(*v, "network.links", {"fifo", "unordered"}, links)) return false;
    net.fifo = links == "fifo";
  }
  const YamlNode* overrides = n.find("overrides");
  return overrides == nullptr || read_overrides(r, *overrides, s, net);
}

}  // namespace txsim::loader
