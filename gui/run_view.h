// RunView: one run on screen, the composite the main window embeds: the timeline on top; below
// it the event table (with node and kind filters) beside the state inspector; the playback bar
// at the bottom. Everything follows one "current event": selecting a table row, clicking the
// timeline, playing, or setCursorTime() all move it, and every part shows it.
//
// Invariant: the table's current row, the timeline's cursor, the inspector and the playback
// position always name the same event (the table's row may be absent when filtered out).
#pragma once

#include <QWidget>
#include <memory>

#include "reports/trace_document.h"

class QTableView;
class QToolButton;

namespace txsim::gui {

class EventFilterModel;
class PlaybackBar;
class StateInspector;
class TimelineWidget;
class TraceTableModel;

class RunView : public QWidget {
  Q_OBJECT

 public:
  explicit RunView(QWidget* parent = nullptr);

  void setDocument(std::shared_ptr<const report::TraceDocument> doc);
  const report::TraceDocument* document() const { return doc_.get(); }

  TimelineWidget* timeline() const { return timeline_; }
  QTableView* table() const { return table_; }
  TraceTableModel* tableModel() const { return model_; }
  EventFilterModel* filterModel() const { return filter_; }
  StateInspector* inspector() const { return inspector_; }
  PlaybackBar* playback() const { return playback_; }
  int currentEvent() const { return current_event_; }

 public Q_SLOTS:
  // Makes event_index current everywhere (-1: none).
  void selectEvent(int event_index);
  // Makes current the last event at or before `micros` (the first event if none).
  void setCursorTime(qint64 micros);

 Q_SIGNALS:
  void cursorTimeChanged(qint64 micros);
  void eventSelected(int eventIndex);

 private:
  QWidget* make_filter_bar();
  void rebuild_filter_menus();
  void apply_filters();

  std::shared_ptr<const report::TraceDocument> doc_;
  TimelineWidget* timeline_ = nullptr;
  QTableView* table_ = nullptr;
  TraceTableModel* model_ = nullptr;
  EventFilterModel* filter_ = nullptr;
  StateInspector* inspector_ = nullptr;
  PlaybackBar* playback_ = nullptr;
  QToolButton* nodes_button_ = nullptr;
  QToolButton* kinds_button_ = nullptr;
  int current_event_ = -1;
  bool selecting_ = false;  // guards the sync loop table <-> timeline <-> playback
};

}  // namespace txsim::gui
