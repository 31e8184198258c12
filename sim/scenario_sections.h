// Internal to the scenario loader: one reader per part of a scenario file, each filling its
// part of the Scenario. A reader returns false after recording the first error in the
// FieldReader; the caller stops there.
//
// Readers run in dependency order, which the lookups rely on: nodes before anything that
// names a node, accounts before transfers, transactions before faults and expectations that
// name a transaction.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario.h"
#include "sim/yaml_fields.h"
#include "sim/yaml_tree.h"

namespace txsim::loader {

// scenario_topology.cc: `nodes`, `clocks`, `accounts`, and references to nodes.
bool read_nodes(FieldReader& r, const YamlNode& n, Scenario& s);
bool read_clocks(FieldReader& r, const YamlNode& n, Scenario& s);
bool read_accounts(FieldReader& r, const YamlNode& n, Scenario& s);
// A scalar naming a declared node.
bool read_node_ref(FieldReader& r, const YamlNode& n, std::string_view path, const Scenario& s,
                   NodeId& out);
// A node name or a non-empty list of distinct node names, ascending ids.
bool read_node_set(FieldReader& r, const YamlNode& n, std::string_view path, const Scenario& s,
                   std::vector<NodeId>& out);
// The node named by a map entry's key (for maps keyed by node, such as clocks.P1).
bool read_node_key(FieldReader& r, const YamlNode& entry, std::string_view path, const Scenario& s,
                   NodeId& out);
Names node_names(const Scenario& s);

// scenario_workload.cc: `workload`, and references to transactions.
bool read_workload(FieldReader& r, const YamlNode& n, Scenario& s);
bool read_tx_ref(FieldReader& r, const YamlNode& n, std::string_view path, const Scenario& s,
                 TxId& out);
// The transaction named by a map entry's key (expect.outcomes.t1).
bool read_tx_key(FieldReader& r, const YamlNode& entry, std::string_view path, const Scenario& s,
                 TxId& out);

// scenario_network.cc: `network`.
bool read_network(FieldReader& r, const YamlNode& n, Scenario& s);
bool read_distribution(FieldReader& r, const YamlNode& n, std::string_view path, Distribution& out);

// scenario_faults.cc: `faults`.
bool read_faults(FieldReader& r, const YamlNode& n, Scenario& s);
// A partition written as groups ([[P1], [C, P2]]); unlisted nodes form one more group.
bool read_partition_groups(FieldReader& r, const YamlNode& v, const std::string& path,
                           const Scenario& s, std::vector<std::vector<NodeId>>& groups);

// scenario_check.cc: `check` (the model checker's budget and timing model).
bool read_check(FieldReader& r, const YamlNode& n, Scenario& s);

}  // namespace txsim::loader
