#include "cli/scenario_input.h"

#include <unistd.h>

#include <cstdio>

#include "protocols/scenario_files.h"

namespace txsim::cli {

LoadContext load_context() { return registry_load_context(); }

std::optional<Scenario> load_or_report(const std::string& path) {
  auto sc = load_scenario_file(path, load_context());
  if (!sc) {
    std::fprintf(stderr, "%s\n", sc.error().message.c_str());
    return std::nullopt;
  }
  return std::move(*sc);
}

std::optional<std::vector<const ProtocolInfo*>> select_protocols(const Scenario& sc,
                                                                 const std::string& only) {
  std::vector<const ProtocolInfo*> out;
  for (const std::string& name : sc.protocols) {
    if (!only.empty() && name != only) continue;
    out.push_back(find_protocol(name));
  }
  if (out.empty()) {
    std::string listed;
    for (const auto& n : sc.protocols) listed += (listed.empty() ? "" : ", ") + n;
    std::fprintf(stderr, "%s: error: --protocol %s: the scenario lists only %s\n",
                 sc.file.c_str(), only.c_str(), listed.c_str());
    return std::nullopt;
  }
  return out;
}

std::string trace_path(const std::string& file, const std::string& protocol, bool several) {
  if (!several) return file;
  const auto dot = file.rfind('.');
  if (dot == std::string::npos || file.find('/', dot) != std::string::npos)
    return file + "." + protocol;
  return file.substr(0, dot) + "." + protocol + file.substr(dot);
}

bool stdout_is_terminal() { return isatty(STDOUT_FILENO) != 0; }
bool stderr_is_terminal() { return isatty(STDERR_FILENO) != 0; }

}  // namespace txsim::cli
