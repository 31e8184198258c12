// Cell formatting for TraceTableModel (see trace_table_model.h).
#include "gui/trace_table_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace txsim::gui {
namespace {

constexpr int kDetailChars_max = 240;  // the state JSON can be long; the inspector shows it all

QString qstr(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<int>(s.size())); }

}  // namespace

TraceTableModel::TraceTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void TraceTableModel::set_document(std::shared_ptr<const report::TraceDocument> doc) {
  beginResetModel();
  doc_ = std::move(doc);
  endResetModel();
}

int TraceTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !doc_ ? 0 : static_cast<int>(doc_->events().size());
}

int TraceTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant TraceTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (role != Qt::DisplayRole) return {};
  if (orientation == Qt::Vertical) return section;
  static const char* kNames[kColumnCount] = {"#",  "time (ms)", "node", "kind",
                                             "peer", "tx",      "what", "detail"};
  return section >= 0 && section < kColumnCount ? QVariant(kNames[section]) : QVariant();
}

QVariant TraceTableModel::data(const QModelIndex& index, int role) const {
  if (!doc_ || !index.isValid() || index.row() >= rowCount()) return {};
  const report::DocEvent& e = doc_->events()[index.row()];
  switch (role) {
    case Qt::DisplayRole: return cell_text(index.row(), index.column());
    case kEventIndexRole: return index.row();
    case Qt::TextAlignmentRole:
      return index.column() <= kTime ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::ForegroundRole:
      if (e.kind == report::EventKind::violation) return QBrush(QColor(200, 0, 0));
      if (e.kind == report::EventKind::crash || e.kind == report::EventKind::drop)
        return QBrush(QColor(150, 40, 40));
      return {};
    case Qt::ToolTipRole:
      return index.column() == kDetail ? qstr(doc_->line_text(index.row())) : QVariant();
    default: return {};
  }
}

QString TraceTableModel::cell_text(int row, int column) const {
  const report::DocEvent& e = doc_->events()[row];
  switch (column) {
    case kIndex: return QString::number(row);
    case kTime: return QString::number(static_cast<double>(e.time) / 1000.0, 'f', 3);
    case kNode: return qstr(doc_->node_name(e.node));
    case kKind: return qstr(report::to_string(e.kind));
    case kPeer: return qstr(doc_->node_name(e.peer));
    case kTx: return qstr(doc_->tx_name(e.tx));
    case kWhat: return what_text(e);
    case kDetail: return detail_text(e);
    default: return {};
  }
}

QString TraceTableModel::what_text(const report::DocEvent& e) const {
  using report::EventKind;
  switch (e.kind) {
    case EventKind::send:
    case EventKind::deliver:
    case EventKind::drop:
    case EventKind::duplicate: return qstr(doc_->label(e.label)) + " #" + QString::number(e.msg_id);
    case EventKind::observe:
      if (e.phase != report::kNone) return "phase " + qstr(doc_->phase_name(e.phase));
      return qstr(doc_->label(e.label));
    default: return qstr(doc_->label(e.label));  // timer, invariant, or nothing
  }
}

QString TraceTableModel::detail_text(const report::DocEvent& e) const {
  using report::EventKind;
  QString text;
  switch (e.kind) {
    case EventKind::observe:
      if (e.phase != report::kNone) return {};
      text = (e.account != report::kNone ? qstr(doc_->account_name(e.account)) + " " : QString()) +
             QString::number(e.value);
      break;
    case EventKind::crash:
      text = e.value < 0 ? QString("idle") : QString("after %1 effects").arg(e.value);
      break;
    case EventKind::choose: text = QString("%1 of %2").arg(e.value).arg(e.choices); break;
    default: text = QString::fromStdString(doc_->text(e.text)); break;
  }
  if (text.size() > kDetailChars_max) text = text.left(kDetailChars_max) + QChar(0x2026);
  return text;
}

}  // namespace txsim::gui
