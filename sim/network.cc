#include "sim/network.h"

#include "sim/assert.h"

namespace txsim {

LinkTable::LinkTable(const Scenario& sc) : n_(sc.nodes.size()), fifo_(sc.network.fifo) {
  const NetworkSpec& net = sc.network;
  links_.assign(n_ * n_, LinkParams{net.latency, net.loss, net.duplicate});
  for (const LinkSpec& o : net.links) {  // later overrides win
    for (NodeId f = 0; f < n_; ++f) {
      if (o.from != kNoNode && o.from != f) continue;
      for (NodeId t = 0; t < n_; ++t) {
        if (o.to != kNoNode && o.to != t) continue;
        LinkParams& p = links_[f * n_ + t];
        if (o.latency) p.latency = *o.latency;
        if (o.loss) p.loss = *o.loss;
        if (o.duplicate) p.duplicate = *o.duplicate;
      }
    }
  }
}

void PartitionState::apply(const FaultAction& a) {
  TXSIM_ASSERT(a.kind == FaultAction::Kind::partition);
  if (!a.groups.empty()) {
    std::fill(group_.begin(), group_.end(), 0);
    for (std::size_t g = 0; g < a.groups.size(); ++g)
      for (NodeId n : a.groups[g]) group_[n] = static_cast<std::uint8_t>(g);
  }
  for (NodeId f : a.cut_from)
    for (NodeId t : a.cut_to) cut_[f * n_ + t] = 1;
}

void PartitionState::heal() {
  std::fill(group_.begin(), group_.end(), 0);
  std::fill(cut_.begin(), cut_.end(), 0);
}

bool PartitionState::whole() const {
  for (std::size_t i = 0; i < n_; ++i)
    if (group_[i] != group_[0]) return false;
  for (auto c : cut_)
    if (c) return false;
  return true;
}

std::string PartitionState::describe(const Scenario& sc) const {
  std::string out;
  std::uint8_t max_group = 0;
  for (auto g : group_) max_group = std::max(max_group, g);
  if (max_group > 0) {
    for (std::uint8_t g = 0; g <= max_group; ++g) {
      std::string members;
      for (NodeId n = 0; n < n_; ++n)
        if (group_[n] == g) members += (members.empty() ? "" : ", ") + sc.nodes[n].name;
      if (members.empty()) continue;
      out += (out.empty() ? "{" : " | {") + members + "}";
    }
  }
  for (NodeId f = 0; f < n_; ++f)
    for (NodeId t = 0; t < n_; ++t)
      if (cut_[f * n_ + t])
        out += (out.empty() ? "cut " : "; cut ") + sc.nodes[f].name + " -> " + sc.nodes[t].name;
  return out.empty() ? "whole" : out;
}

}  // namespace txsim
