// StateInspector: a node's state just before and just after the selected event, as two trees,
// with the fields that differ highlighted. States come from the trace's `state` events (written
// by `txsim run --trace-states`: {"durable":{...},"volatile":{...}}); a trace without them shows
// a hint saying how to get them rather than two empty trees.
//
// "After" is the node's first state event at or after the selected event (the state its handler
// left); "before" is the node's state event before that one.
#pragma once

#include <QWidget>
#include <memory>
#include <vector>

#include "reports/trace_document.h"

class QLabel;
class QStackedWidget;
class QTreeWidget;

namespace txsim::gui {

class StateInspector : public QWidget {
  Q_OBJECT

 public:
  explicit StateInspector(QWidget* parent = nullptr);

  void setDocument(std::shared_ptr<const report::TraceDocument> doc);

  // For tests: the state events shown (-1: none), the trees, the highlighted paths of "after"
  // (like "durable/log/0/status"), and whether the no-states hint is up.
  int beforeEvent() const { return before_event_; }
  int afterEvent() const { return after_event_; }
  QTreeWidget* beforeTree() const { return before_tree_; }
  QTreeWidget* afterTree() const { return after_tree_; }
  const QStringList& changedPaths() const { return changed_paths_; }
  bool showsHint() const;

 public Q_SLOTS:
  void showStateAt(int event_index);

 private:
  void clear_trees(const QString& title);

  std::shared_ptr<const report::TraceDocument> doc_;
  std::vector<std::vector<std::int32_t>> states_;  // per node: its state event indices
  QLabel* title_ = nullptr;
  QStackedWidget* pages_ = nullptr;
  QLabel* hint_ = nullptr;
  QTreeWidget* before_tree_ = nullptr;
  QTreeWidget* after_tree_ = nullptr;
  int before_event_ = -1;
  int after_event_ = -1;
  QStringList changed_paths_;
};

}  // namespace txsim::gui
