// Before/after state trees with differences highlighted (see state_inspector.h).
#include "gui/state_inspector.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMap>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace txsim::gui {
namespace {

const QColor kChanged(255, 236, 140);
const QColor kChangedParent(255, 248, 215);

QString scalar_text(const QJsonValue& v) {
  if (v.isString()) return '"' + v.toString() + '"';
  if (v.isBool()) return v.toBool() ? "true" : "false";
  if (v.isNull()) return "null";
  if (v.isDouble()) return QString::number(v.toDouble(), 'g', 17);
  if (v.isArray()) return QString("[%1]").arg(v.toArray().size());
  if (v.isObject()) return QString("{%1}").arg(v.toObject().size());
  return {};
}

// Every leaf of a JSON value by path ("durable/log/0/status"), with its text.
void flatten(const QJsonValue& v, const QString& path, QMap<QString, QString>& out) {
  if (v.isObject()) {
    const QJsonObject o = v.toObject();
    if (o.isEmpty()) out[path] = "{}";
    for (auto it = o.begin(); it != o.end(); ++it)
      flatten(it.value(), path.isEmpty() ? it.key() : path + '/' + it.key(), out);
  } else if (v.isArray()) {
    const QJsonArray a = v.toArray();
    if (a.isEmpty()) out[path] = "[]";
    for (int i = 0; i < a.size(); ++i) flatten(a[i], path + '/' + QString::number(i), out);
  } else {
    out[path] = scalar_text(v);
  }
}

// Adds v under parent; marks items whose path (or a path below it) is in `changed`.
void add_items(QTreeWidgetItem* parent, const QString& key, const QJsonValue& v,
               const QString& path, const QSet<QString>& changed) {
  auto* item = new QTreeWidgetItem(parent, {key, scalar_text(v)});
  const bool here = changed.contains(path);
  bool below = false;
  for (const QString& c : changed)
    if (c.startsWith(path + '/')) {
      below = true;
      break;
    }
  if (here || below) {
    item->setBackground(0, here ? kChanged : kChangedParent);
    item->setBackground(1, here ? kChanged : kChangedParent);
    item->setData(0, Qt::UserRole, here ? "changed" : "contains-change");
  }
  if (v.isObject()) {
    const QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
      add_items(item, it.key(), it.value(), path + '/' + it.key(), changed);
  } else if (v.isArray()) {
    const QJsonArray a = v.toArray();
    for (int i = 0; i < a.size(); ++i)
      add_items(item, QString::number(i), a[i], path + '/' + QString::number(i), changed);
  }
  item->setExpanded(here || below || path.count('/') < 1);
}

void fill_tree(QTreeWidget* tree, const QJsonObject& state, const QSet<QString>& changed) {
  tree->clear();
  for (auto it = state.begin(); it != state.end(); ++it)
    add_items(tree->invisibleRootItem(), it.key(), it.value(), it.key(), changed);
  tree->resizeColumnToContents(0);
}

QJsonObject parse_state(const report::TraceDocument& doc, int event) {
  const std::string_view raw = doc.view(doc.events()[event].text);
  return QJsonDocument::fromJson(QByteArray(raw.data(), static_cast<int>(raw.size()))).object();
}

QTreeWidget* make_tree(const QString& header) {
  auto* tree = new QTreeWidget;
  tree->setColumnCount(2);
  tree->setHeaderLabels({header, QObject::tr("value")});
  tree->header()->setStretchLastSection(true);
  return tree;
}

}  // namespace

StateInspector::StateInspector(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  title_ = new QLabel(tr("Select an event to see its node's state."));
  title_->setWordWrap(true);
  layout->addWidget(title_);
  pages_ = new QStackedWidget;
  auto* split = new QSplitter(Qt::Horizontal);
  before_tree_ = make_tree(tr("before"));
  after_tree_ = make_tree(tr("after"));
  split->addWidget(before_tree_);
  split->addWidget(after_tree_);
  pages_->addWidget(split);
  hint_ = new QLabel(tr("This trace holds no node states.\nRun the scenario with "
                        "--trace-states (txsim run SCENARIO --trace FILE --trace-states) "
                        "to inspect them here."));
  hint_->setAlignment(Qt::AlignCenter);
  hint_->setWordWrap(true);
  pages_->addWidget(hint_);
  layout->addWidget(pages_, 1);
}

bool StateInspector::showsHint() const { return pages_->currentWidget() == hint_; }

void StateInspector::setDocument(std::shared_ptr<const report::TraceDocument> doc) {
  doc_ = std::move(doc);
  states_.assign(doc_ ? doc_->nodes().size() : 0, {});
  if (doc_) {
    const auto& events = doc_->events();
    for (std::size_t i = 0; i < events.size(); ++i)
      if (events[i].kind == report::EventKind::state && events[i].node >= 0)
        states_[events[i].node].push_back(static_cast<std::int32_t>(i));
  }
  pages_->setCurrentWidget(doc_ && !doc_->has_states() ? static_cast<QWidget*>(hint_)
                                                        : pages_->widget(0));
  clear_trees(tr("Select an event to see its node's state."));
}

void StateInspector::clear_trees(const QString& title) {
  title_->setText(title);
  before_tree_->clear();
  after_tree_->clear();
  before_event_ = after_event_ = -1;
  changed_paths_.clear();
}

void StateInspector::showStateAt(int event_index) {
  if (!doc_ || event_index < 0 || event_index >= static_cast<int>(doc_->events().size())) {
    clear_trees(tr("No event selected."));
    return;
  }
  const report::DocEvent& e = doc_->events()[event_index];
  if (e.node < 0) {
    clear_trees(tr("Event %1 (%2) concerns no single node.")
                    .arg(event_index)
                    .arg(QString::fromUtf8(report::to_string(e.kind).data())));
    return;
  }
  const QString node = QString::fromUtf8(doc_->node_name(e.node).data());
  if (!doc_->has_states()) {
    clear_trees(tr("Event %1 on %2.").arg(event_index).arg(node));
    return;
  }
  const auto& states = states_[e.node];
  const auto after = std::lower_bound(states.begin(), states.end(), event_index);
  after_event_ = after == states.end() ? -1 : *after;
  before_event_ = after == states.begin() ? -1 : *(after - 1);
  const QJsonObject before_state = before_event_ >= 0 ? parse_state(*doc_, before_event_) : QJsonObject();
  const QJsonObject after_state = after_event_ >= 0 ? parse_state(*doc_, after_event_) : QJsonObject();
  QMap<QString, QString> before_leaves, after_leaves;
  flatten(before_state, {}, before_leaves);
  flatten(after_state, {}, after_leaves);
  QSet<QString> changed_after, changed_before;
  changed_paths_.clear();
  for (auto it = after_leaves.begin(); it != after_leaves.end(); ++it)
    if (before_event_ >= 0 && before_leaves.value(it.key(), QString(QChar(0))) != it.value()) {
      changed_after.insert(it.key());
      changed_paths_.append(it.key());
    }
  for (auto it = before_leaves.begin(); it != before_leaves.end(); ++it)
    if (after_event_ >= 0 && after_leaves.value(it.key(), QString(QChar(0))) != it.value())
      changed_before.insert(it.key());
  fill_tree(before_tree_, before_state, changed_before);
  fill_tree(after_tree_, after_state, changed_after);
  title_->setText(tr("%1 at event %2: state before (event %3) and after (event %4); "
                     "%5 field(s) changed.")
                      .arg(node)
                      .arg(event_index)
                      .arg(before_event_ >= 0 ? QString::number(before_event_) : tr("none"))
                      .arg(after_event_ >= 0 ? QString::number(after_event_) : tr("none"))
                      .arg(changed_paths_.size()));
}

}  // namespace txsim::gui
