// Integer-only row filtering for EventFilterModel (see event_filter_model.h).
#include "gui/event_filter_model.h"

namespace txsim::gui {

EventFilterModel::EventFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
  setDynamicSortFilter(false);  // a trace never changes; rows are refiltered only on request
}

void EventFilterModel::set_table(TraceTableModel* table) {
  table_ = table;
  nodes_.clear();
  kind_mask_ = kAllKinds;
  setSourceModel(table);
}

void EventFilterModel::set_nodes(std::vector<bool> nodes) {
  nodes_ = std::move(nodes);
  invalidateFilter();
}

void EventFilterModel::set_kinds(std::uint32_t kind_mask) {
  kind_mask_ = kind_mask;
  invalidateFilter();
}

bool EventFilterModel::filterAcceptsRow(int source_row, const QModelIndex&) const {
  const report::TraceDocument* doc = table_ ? table_->document() : nullptr;
  if (doc == nullptr) return false;
  const report::DocEvent& e = doc->events()[source_row];
  if ((kind_mask_ & kind_bit(e.kind)) == 0) return false;
  if (e.node < 0 || static_cast<std::size_t>(e.node) >= nodes_.size()) return true;
  return nodes_[e.node];
}

int EventFilterModel::event_at(int proxy_row) const {
  const QModelIndex source = mapToSource(index(proxy_row, 0));
  return source.isValid() ? source.row() : -1;
}

int EventFilterModel::row_of(int event_index) const {
  if (!table_ || event_index < 0 || event_index >= table_->rowCount()) return -1;
  const QModelIndex proxy = mapFromSource(table_->index(event_index, 0));
  return proxy.isValid() ? proxy.row() : -1;
}

}  // namespace txsim::gui
