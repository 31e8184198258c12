#include "gui/saga_graph_view.h"

#include <QFont>
#include <QGraphicsPathItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QWheelEvent>
#include <cmath>

#include "protocols/scenario_files.h"
#include "reports/layered_layout.h"

namespace txsim::gui {

namespace {

const QColor kComplete(46, 125, 50), kFail(198, 40, 40), kCompensate(230, 124, 0);
const QColor kHighlight(21, 101, 192);

QColor edge_color(SagaExecEdge::Kind k) {
  switch (k) {
    case SagaExecEdge::Kind::complete: return kComplete;
    case SagaExecEdge::Kind::fail: return kFail;
    case SagaExecEdge::Kind::compensate: return kCompensate;
  }
  return Qt::black;
}

char status_letter(StepStatus s) {
  switch (s) {
    case StepStatus::pending: return '.';
    case StepStatus::done: return 'D';
    case StepStatus::failed: return 'F';
    case StepStatus::compensated: return 'C';
    case StepStatus::failed_compensated: return 'X';
  }
  return '?';
}

// A line from the bottom of one box to the top of the next, with an arrowhead.
QPainterPath arrow(QPointF from, QPointF to) {
  QPainterPath p(from);
  p.lineTo(to);
  const double angle = std::atan2(to.y() - from.y(), to.x() - from.x());
  const double len = 9, spread = 0.45;
  p.moveTo(to);
  p.lineTo(to - QPointF(std::cos(angle - spread), std::sin(angle - spread)) * len);
  p.moveTo(to);
  p.lineTo(to - QPointF(std::cos(angle + spread), std::sin(angle + spread)) * len);
  return p;
}

QGraphicsSimpleTextItem* text(QGraphicsScene* scene, const QString& s, QPointF at, int pt = 10,
                              bool bold = false) {
  auto* t = scene->addSimpleText(s);
  QFont f = t->font();
  f.setPointSize(pt);
  f.setBold(bold);
  t->setFont(f);
  t->setPos(at);
  return t;
}

// The item is centred on `centre` and carries its text centred inside.
QGraphicsRectItem* box(QGraphicsScene* scene, QPointF centre, QSizeF size, const QString& label,
                       const QBrush& fill, const QFont& font) {
  auto* r = scene->addRect(QRectF(centre - QPointF(size.width(), size.height()) / 2, size),
                           QPen(Qt::black, 1.2), fill);
  auto* t = new QGraphicsSimpleTextItem(label, r);
  t->setFont(font);
  const QRectF b = t->boundingRect();
  t->setPos(centre - QPointF(b.width(), b.height()) / 2);
  r->setZValue(2);
  return r;
}

}  // namespace

SagaGraphView::SagaGraphView(QWidget* parent) : QGraphicsView(parent) {
  setScene(new QGraphicsScene(this));
  setRenderHint(QPainter::Antialiasing);
  setDragMode(QGraphicsView::ScrollHandDrag);
  setBackgroundBrush(Qt::white);
}

SagaGraphView::~SagaGraphView() = default;

bool SagaGraphView::setScenario(const Scenario& sc, std::size_t saga_index, QString* error) {
  if (saga_index >= sc.saga.sagas.size()) {
    if (error) *error = tr("%1: the scenario has no saga: block").arg(QString::fromStdString(sc.file));
    return false;
  }
  sc_ = std::make_unique<Scenario>(sc);
  saga_index_ = saga_index;
  const SagaDef& def = sc_->saga.sagas[saga_index];
  graph_ = std::make_unique<SagaGraph>(def);
  const auto opts = sc_->options.find("saga");
  const bool comp = opts != sc_->options.end() && opts->second.get_bool("compensate_failed");
  x_ = std::make_unique<SagaExploration>(explore_saga(def, *graph_, comp));
  path_ = {};
  rebuild();
  return true;
}

bool SagaGraphView::loadScenario(const QString& path, std::size_t saga_index, QString* error) {
  auto sc = load_scenario(path.toStdString());
  if (!sc) {
    if (error) *error = QString::fromStdString(sc.error().message);
    return false;
  }
  return setScenario(*sc, saga_index, error);
}

void SagaGraphView::rebuild() {
  scene()->clear();
  step_items_.clear();
  state_items_.clear();
  step_edge_items_.clear();
  edge_items_.clear();
  if (!sc_) return;
  drawSteps();
  drawExecution(steps_right_ + 80);
  applyHighlight();
  setSceneRect(scene()->itemsBoundingRect().adjusted(-20, -20, 20, 20));
}

void SagaGraphView::drawSteps() {
  const SagaDef& def = sc_->saga.sagas[saga_index_];
  std::vector<std::vector<std::size_t>> succ(def.steps.size());
  for (std::size_t s = 0; s < def.steps.size(); ++s) succ[s] = graph_->successors(s);
  const report::LayeredLayout l = report::layered_layout(succ, {90, 160, 12});
  double min_x = 0, max_x = 0;
  for (const auto& v : l.vertices) {
    min_x = std::min(min_x, v.x);
    max_x = std::max(max_x, v.x);
  }
  const double shift = -min_x + 75;  // the left box edge at x = 0
  text(scene(), tr("Steps of saga %1").arg(QString::fromStdString(def.name)), {0, -70}, 12, true);
  const QSizeF size(140, 40);
  QFont font;
  font.setPointSize(10);
  for (std::size_t s = 0; s < def.steps.size(); ++s) {
    const SagaStep& step = def.steps[s];
    const QColor fill = step.kind == SagaStepKind::pivot       ? QColor(255, 224, 130)
                        : step.kind == SagaStepKind::retriable ? QColor(200, 230, 201)
                                                               : QColor(187, 222, 251);
    const QString label = QString::fromStdString(step.name) + "\n(" +
                          QString::fromUtf8(to_string(step.kind).data()) + ")";
    auto* r = box(scene(), {l.vertices[s].x + shift, l.vertices[s].y}, size, label, fill, font);
    r->setToolTip(label);
    step_items_.push_back(r);
  }
  for (std::size_t u = 0; u < succ.size(); ++u)
    for (std::size_t v : succ[u]) {
      const QPointF a(l.vertices[u].x + shift, l.vertices[u].y + size.height() / 2);
      const QPointF b(l.vertices[v].x + shift, l.vertices[v].y - size.height() / 2);
      step_edge_items_.push_back(scene()->addPath(arrow(a, b), QPen(Qt::black, 1.4)));
    }
  steps_right_ = max_x + shift + 75;
}

void SagaGraphView::drawExecution(double left) {
  const SagaDef& def = sc_->saga.sagas[saga_index_];
  const SagaExploration& x = *x_;
  QString title = tr("Execution graph: %1 states, %2 transitions, %3 paths, %4 unrecoverable")
                      .arg(x.states.size()).arg(x.edges.size()).arg(x.paths)
                      .arg(x.unrecoverable.size());
  text(scene(), title, {left, -70}, 12, true);
  QString order;
  for (const auto& s : def.steps) order += (order.isEmpty() ? "" : ", ") + QString::fromStdString(s.name);
  text(scene(), tr("one letter per step (%1):  . pending  D done  F failed  C compensated  "
                   "X failed+compensated.   Edges: green completes, red fails, orange "
                   "compensates; blue: this run").arg(order), {left, -45}, 9);
  if (x.states.size() > kDrawStatesMax) {
    text(scene(), tr("too many states to draw (more than %1)").arg(kDrawStatesMax), {left, 0}, 11);
    return;
  }
  std::vector<std::vector<std::size_t>> succ(x.states.size());
  for (const auto& e : x.edges) succ[e.from].push_back(e.to);
  QFont mono("monospace");
  mono.setStyleHint(QFont::Monospace);
  mono.setPointSize(10);
  const QSizeF size(std::max(44.0, 11.0 * double(def.steps.size()) + 16), 26);
  const report::LayeredLayout l = report::layered_layout(succ, {64, size.width() + 18, 12});
  double min_x = 0;
  for (const auto& v : l.vertices) min_x = std::min(min_x, v.x);
  const double shift = left - min_x + size.width() / 2;
  std::vector<char> terminal(x.states.size(), 0), bad(x.states.size(), 0);
  for (std::size_t t : x.terminals) terminal[t] = 1;
  for (std::size_t t : x.unrecoverable) bad[t] = 1;
  for (std::size_t s = 0; s < x.states.size(); ++s) {
    QString label;
    bool all_done = true;
    for (StepStatus st : x.states[s]) {
      label += QChar(status_letter(st));
      all_done &= st == StepStatus::done;
    }
    const QColor fill = bad[s]                  ? QColor(239, 154, 154)
                        : terminal[s] && all_done ? QColor(165, 214, 167)
                        : terminal[s]             ? QColor(255, 204, 128)
                                                  : QColor(250, 250, 250);
    auto* r = box(scene(), {l.vertices[s].x + shift, l.vertices[s].y}, size, label, fill, mono);
    r->setToolTip(QString::fromStdString(describe_state(def, x.states[s])));
    state_items_.push_back(r);
  }
  for (const SagaExecEdge& e : x.edges) {
    const QPointF a(l.vertices[e.from].x + shift, l.vertices[e.from].y + size.height() / 2);
    const QPointF b(l.vertices[e.to].x + shift, l.vertices[e.to].y - size.height() / 2);
    auto* item = scene()->addPath(arrow(a, b), QPen(edge_color(e.kind), 1.4));
    item->setToolTip(QString::fromStdString(describe_edge(def, e)));
    edge_items_.push_back(item);
  }
}

const report::SagaRunPath& SagaGraphView::highlightRun(const report::TraceDocument& doc,
                                                       std::int32_t tx) {
  path_ = {};
  if (sc_) path_ = report::saga_run_path(doc, *sc_, sc_->saga.sagas[saga_index_], *x_, tx);
  applyHighlight();
  return path_;
}

void SagaGraphView::clearHighlight() {
  path_ = {};
  applyHighlight();
}

void SagaGraphView::applyHighlight() {
  if (!x_) return;
  for (std::size_t e = 0; e < edge_items_.size(); ++e) {
    edge_items_[e]->setPen(QPen(edge_color(x_->edges[e].kind), 1.4));
    edge_items_[e]->setZValue(1);
  }
  for (auto* r : state_items_) r->setPen(QPen(Qt::black, 1.2));
  if (state_items_.empty()) return;
  for (std::size_t e : path_.edges) {
    edge_items_[e]->setPen(QPen(kHighlight, 4));
    edge_items_[e]->setZValue(1.5);
  }
  if (path_.tx == report::kNone) return;
  for (std::size_t s : path_.states) state_items_[s]->setPen(QPen(kHighlight, 3.5));
}

std::size_t SagaGraphView::highlightedEdgeCount() const {
  std::size_t n = 0;
  for (auto* e : edge_items_) n += e->pen().color() == kHighlight ? 1 : 0;
  return n;
}

std::size_t SagaGraphView::highlightedStateCount() const {
  std::size_t n = 0;
  for (auto* r : state_items_) n += r->pen().color() == kHighlight ? 1 : 0;
  return n;
}

void SagaGraphView::wheelEvent(QWheelEvent* event) {
  const double factor = std::pow(1.15, event->angleDelta().y() / 120.0);
  setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
  scale(factor, factor);
}

}  // namespace txsim::gui
