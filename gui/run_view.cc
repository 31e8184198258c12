// Layout and synchronisation of a RunView (see run_view.h).
#include "gui/run_view.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "gui/event_filter_model.h"
#include "gui/playback_bar.h"
#include "gui/state_inspector.h"
#include "gui/timeline_widget.h"
#include "gui/trace_table_model.h"

namespace txsim::gui {
namespace {

constexpr report::EventKind kAllKinds[] = {
    report::EventKind::request, report::EventKind::send,     report::EventKind::deliver,
    report::EventKind::drop,    report::EventKind::duplicate, report::EventKind::timer,
    report::EventKind::crash,   report::EventKind::recover,  report::EventKind::partition,
    report::EventKind::heal,    report::EventKind::observe,  report::EventKind::choose,
    report::EventKind::state,   report::EventKind::violation};

QToolButton* menu_button(const QString& text) {
  auto* b = new QToolButton;
  b->setText(text);
  b->setPopupMode(QToolButton::InstantPopup);
  b->setMenu(new QMenu(b));
  return b;
}

}  // namespace

RunView::RunView(QWidget* parent) : QWidget(parent) {
  timeline_ = new TimelineWidget;
  model_ = new TraceTableModel(this);
  filter_ = new EventFilterModel(this);
  filter_->set_table(model_);
  table_ = new QTableView;
  table_->setModel(filter_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->hide();
  table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);  // cheap with 1M rows
  table_->verticalHeader()->setDefaultSectionSize(20);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setWordWrap(false);
  inspector_ = new StateInspector;
  playback_ = new PlaybackBar;

  auto* table_side = new QWidget;
  auto* table_column = new QVBoxLayout(table_side);
  table_column->setContentsMargins(0, 0, 0, 0);
  table_column->addWidget(make_filter_bar());
  table_column->addWidget(table_, 1);
  auto* bottom = new QSplitter(Qt::Horizontal);
  bottom->addWidget(table_side);
  bottom->addWidget(inspector_);
  bottom->setStretchFactor(0, 3);
  bottom->setStretchFactor(1, 2);
  auto* vertical = new QSplitter(Qt::Vertical);
  vertical->addWidget(timeline_);
  vertical->addWidget(bottom);
  vertical->setStretchFactor(0, 3);
  vertical->setStretchFactor(1, 2);
  auto* column = new QVBoxLayout(this);
  column->setContentsMargins(0, 0, 0, 0);
  column->addWidget(vertical, 1);
  column->addWidget(playback_);

  connect(timeline_, &TimelineWidget::eventSelected, this, &RunView::selectEvent);
  connect(timeline_, &TimelineWidget::cursorTimeChanged, this, &RunView::cursorTimeChanged);
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            if (current.isValid()) selectEvent(filter_->event_at(current.row()));
          });
  connect(playback_, &PlaybackBar::positionChanged, this,
          [this](int row) { selectEvent(filter_->event_at(row)); });
}

QWidget* RunView::make_filter_bar() {
  auto* bar = new QWidget;
  auto* row = new QHBoxLayout(bar);
  row->setContentsMargins(2, 2, 2, 2);
  row->addWidget(new QLabel(tr("Show:")));
  nodes_button_ = menu_button(tr("Nodes"));
  kinds_button_ = menu_button(tr("Kinds"));
  row->addWidget(nodes_button_);
  row->addWidget(kinds_button_);
  row->addStretch(1);
  return bar;
}

void RunView::rebuild_filter_menus() {
  QMenu* nodes = nodes_button_->menu();
  nodes->clear();
  if (doc_)
    for (const report::DocNode& n : doc_->nodes()) {
      QAction* a = nodes->addAction(QString::fromStdString(n.name));
      a->setCheckable(true);
      a->setChecked(true);
      connect(a, &QAction::toggled, this, &RunView::apply_filters);
    }
  QMenu* kinds = kinds_button_->menu();
  kinds->clear();
  for (report::EventKind k : kAllKinds) {
    QAction* a = kinds->addAction(QString::fromUtf8(report::to_string(k).data()));
    a->setCheckable(true);
    a->setChecked(true);
    a->setData(static_cast<int>(k));
    connect(a, &QAction::toggled, this, &RunView::apply_filters);
  }
}

void RunView::apply_filters() {
  std::vector<bool> nodes;
  for (QAction* a : nodes_button_->menu()->actions()) nodes.push_back(a->isChecked());
  std::uint32_t kinds = 0;
  for (QAction* a : kinds_button_->menu()->actions())
    if (a->isChecked())
      kinds |= EventFilterModel::kind_bit(static_cast<report::EventKind>(a->data().toInt()));
  kinds |= EventFilterModel::kind_bit(report::EventKind::end);
  filter_->set_nodes(std::move(nodes));
  filter_->set_kinds(kinds);
  playback_->setCount(filter_->rowCount());
  const int keep = current_event_;
  current_event_ = -1;
  selectEvent(keep);  // re-find the current event's row in the new filter
}

void RunView::setDocument(std::shared_ptr<const report::TraceDocument> doc) {
  doc_ = std::move(doc);
  current_event_ = -1;
  timeline_->setDocument(doc_);
  model_->set_document(doc_);
  filter_->set_table(model_);
  inspector_->setDocument(doc_);
  rebuild_filter_menus();
  playback_->setCount(filter_->rowCount());
  playback_->setPosition(-1);
  table_->resizeColumnsToContents();  // samples the first rows only: cheap on big traces
}

void RunView::selectEvent(int event_index) {
  if (selecting_ || !doc_) return;
  if (event_index >= static_cast<int>(doc_->events().size())) event_index = -1;
  if (event_index == current_event_) return;
  selecting_ = true;
  current_event_ = event_index;
  timeline_->setCursorEvent(event_index);
  const int row = filter_->row_of(event_index);
  if (row >= 0) {
    const QModelIndex index = filter_->index(row, 0);
    table_->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    table_->scrollTo(index);
  } else {
    table_->selectionModel()->clearSelection();
  }
  playback_->setPosition(row);
  inspector_->showStateAt(event_index);
  selecting_ = false;
  Q_EMIT eventSelected(event_index);
}

void RunView::setCursorTime(qint64 micros) {
  if (!doc_ || doc_->events().empty()) return;
  const std::int32_t after = timeline_->layout().first_event_at_or_after(micros + 1);
  selectEvent(std::max(after - 1, 0));
}

}  // namespace txsim::gui
