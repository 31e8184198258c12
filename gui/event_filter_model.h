// EventFilterModel: shows the rows of a TraceTableModel whose node and kind are switched on.
// filterAcceptsRow compares small integers from the TraceDocument (no strings, no data()), so
// refiltering a million events stays well under a second. Events without a node (partition,
// heal, violation) pass the node filter: they concern every node.
#pragma once

#include <QSortFilterProxyModel>
#include <cstdint>
#include <vector>

#include "gui/trace_table_model.h"

namespace txsim::gui {

class EventFilterModel : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  explicit EventFilterModel(QObject* parent = nullptr);

  void set_table(TraceTableModel* table);  // also resets the filters to "everything"
  // Node i of the trace is shown iff nodes[i]; nodes past the vector's end are shown.
  void set_nodes(std::vector<bool> nodes);
  // Bit k set: EventKind k is shown.
  void set_kinds(std::uint32_t kind_mask);
  std::uint32_t kinds() const { return kind_mask_; }
  const std::vector<bool>& nodes() const { return nodes_; }

  static constexpr std::uint32_t kAllKinds = 0xffffffffu;
  static std::uint32_t kind_bit(report::EventKind kind) {
    return 1u << static_cast<unsigned>(kind);
  }

  // The source event index of a proxy row, and the proxy row of an event (-1 if filtered out).
  int event_at(int proxy_row) const;
  int row_of(int event_index) const;

 protected:
  bool filterAcceptsRow(int source_row, const QModelIndex& source_parent) const override;

 private:
  TraceTableModel* table_ = nullptr;
  std::vector<bool> nodes_;
  std::uint32_t kind_mask_ = kAllKinds;
};

}  // namespace txsim::gui
