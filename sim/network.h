// Network model: per-link parameters (latency law, loss, duplication) resolved from the
// scenario once, and the partition state (symmetric groups plus one-way cuts).
//
// Invariant: `connected(a, b)` is true iff a and b are in the same group and a -> b is not cut.
// A node always reaches itself. Draws are made by the simulator from the network stream in a
// fixed order (loss, latency, duplication, duplicate's latency), so runs are reproducible.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/distribution.h"
#include "sim/scenario.h"

namespace txsim {

struct LinkParams {
  Distribution latency;
  double loss = 0;
  double duplicate = 0;
};

class LinkTable {
 public:
  explicit LinkTable(const Scenario& sc);
  const LinkParams& at(NodeId from, NodeId to) const { return links_[from * n_ + to]; }
  bool fifo() const { return fifo_; }

 private:
  std::size_t n_;
  bool fifo_;
  std::vector<LinkParams> links_;
};

class PartitionState {
 public:
  explicit PartitionState(std::size_t nodes) : n_(nodes), group_(nodes, 0), cut_(nodes * nodes, 0) {}

  bool connected(NodeId from, NodeId to) const {
    return from == to || (group_[from] == group_[to] && !cut_[from * n_ + to]);
  }
  // Applies a partition action: groups replace the current grouping; a cut adds to it.
  void apply(const FaultAction& action);
  void heal();
  bool whole() const;
  // "{P1} | {C, P2, P3}; cut P1 -> C" with scenario names.
  std::string describe(const Scenario& sc) const;
  std::uint8_t group_of(NodeId n) const { return group_[n]; }
  bool operator==(const PartitionState&) const = default;

 private:
  std::size_t n_;
  std::vector<std::uint8_t> group_;
  std::vector<std::uint8_t> cut_;
};

}  // namespace txsim
