// TraceTableModel: the events of a trace as a table (one row per event) for QTableView and the
// filter proxy. It holds no copy of the data: data() formats a cell from the TraceDocument on
// demand, so a million-row trace costs nothing until rows scroll into view.
//
// Columns: #, time (ms, 3 decimals), node, kind, peer, tx, what, detail. `what` is the message
// type, timer, invariant, phase, or observed fact; `detail` the payload, reason or text.
#pragma once

#include <QAbstractTableModel>
#include <memory>

#include "reports/trace_document.h"

namespace txsim::gui {

class TraceTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { kIndex, kTime, kNode, kKind, kPeer, kTx, kWhat, kDetail, kColumnCount };
  // The event index of a row, under Qt::UserRole (the same as the row; kept for proxies).
  static constexpr int kEventIndexRole = Qt::UserRole + 1;

  explicit TraceTableModel(QObject* parent = nullptr);

  void set_document(std::shared_ptr<const report::TraceDocument> doc);
  const report::TraceDocument* document() const { return doc_.get(); }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  // The text of one cell, as data() shows it.
  QString cell_text(int row, int column) const;

 private:
  QString what_text(const report::DocEvent& e) const;
  QString detail_text(const report::DocEvent& e) const;

  std::shared_ptr<const report::TraceDocument> doc_;
};

}  // namespace txsim::gui
