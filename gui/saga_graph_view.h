// SagaGraphView: a saga's step DAG and its execution graph (sim/saga_explore.h), drawn with the
// layered layout of reports/layered_layout.h, with one run's path through the execution graph
// highlighted (reports/saga_run_path.h says how a trace is mapped onto it).
//
// Why both graphs in one picture: the DAG is what the scenario says (which steps may run in
// parallel); the execution graph is every way it can go (each interleaving, failure point and
// compensation order) - the run or counterexample is one path through it, and an unrecoverable
// state (red) is where a path must not end.
//
// Reading it: step boxes are "name (kind)"; an execution state is one letter per step, in the
// saga's step order: . pending, D done, F failed, C compensated, X failed then compensated.
// Edges: green a step completes, red a step fails, orange a compensation.
//
// Invariants: one vertex item per execution state and one edge item per transition (or none at
// all when the graph has more than kDrawStatesMax states: then only the step DAG is drawn and a
// note says so); the highlight is a path of the graph drawn now.
#pragma once

#include <QGraphicsView>
#include <QString>
#include <memory>
#include <vector>

#include "reports/saga_run_path.h"
#include "reports/trace_document.h"
#include "sim/saga_explore.h"
#include "sim/saga_graph.h"
#include "sim/scenario.h"

class QGraphicsPathItem;
class QGraphicsRectItem;

namespace txsim::gui {

class SagaGraphView : public QGraphicsView {
  Q_OBJECT

 public:
  static constexpr std::size_t kDrawStatesMax = 600;

  explicit SagaGraphView(QWidget* parent = nullptr);
  ~SagaGraphView() override;

  // Shows saga `saga_index` of the scenario (compensate_failed from its saga options). False,
  // with a message in *error, when the scenario has no such saga.
  bool setScenario(const Scenario& sc, std::size_t saga_index = 0, QString* error = nullptr);
  bool loadScenario(const QString& path, std::size_t saga_index = 0, QString* error = nullptr);
  // Highlights the path of one saga instance of `doc` (a trace of this scenario); tx = kNone:
  // the first instance. Returns the path (also kept for runPath()).
  const report::SagaRunPath& highlightRun(const report::TraceDocument& doc,
                                          std::int32_t tx = report::kNone);
  void clearHighlight();

  // For tests and the main window's status line.
  const SagaExploration* exploration() const { return x_.get(); }
  const report::SagaRunPath& runPath() const { return path_; }
  std::size_t stepItemCount() const { return step_items_.size(); }
  std::size_t stepEdgeItemCount() const { return step_edge_items_.size(); }
  std::size_t stateItemCount() const { return state_items_.size(); }
  std::size_t edgeItemCount() const { return edge_items_.size(); }
  std::size_t highlightedEdgeCount() const;
  std::size_t highlightedStateCount() const;

 protected:
  void wheelEvent(QWheelEvent* event) override;

 private:
  void rebuild();
  void drawSteps();
  void drawExecution(double left);
  void applyHighlight();

  std::unique_ptr<Scenario> sc_;
  std::size_t saga_index_ = 0;
  std::unique_ptr<SagaGraph> graph_;
  std::unique_ptr<SagaExploration> x_;
  report::SagaRunPath path_;
  std::vector<QGraphicsRectItem*> step_items_, state_items_;
  std::vector<QGraphicsPathItem*> step_edge_items_, edge_items_;
  double steps_right_ = 0;
};

}  // namespace txsim::gui
