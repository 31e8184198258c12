// TraceTableModel and EventFilterModel over the sample trace: shape, cell text, roles, and
// filtering by node and kind.
#include "gui/trace_table_model.h"

#include <gtest/gtest.h>

#include "gui/event_filter_model.h"
#include "tests/reports/timeline_sample_trace.h"

namespace txsim::gui {
namespace {

std::shared_ptr<const report::TraceDocument> sample() {
  auto doc = report::TraceDocument::parse(report::testing::kSampleTrace, "sample.jsonl");
  EXPECT_TRUE(doc) << doc.error().message;
  return std::make_shared<const report::TraceDocument>(std::move(doc.value()));
}

TEST(TraceTableModel, RowsColumnsAndCells) {
  TraceTableModel model;
  EXPECT_EQ(model.rowCount(), 0);
  model.set_document(sample());
  EXPECT_EQ(model.rowCount(), 25);
  EXPECT_EQ(model.columnCount(), TraceTableModel::kColumnCount);
  EXPECT_EQ(model.headerData(TraceTableModel::kTime, Qt::Horizontal).toString(), "time (ms)");
  // Row 13: the Prepare #3 dropped at P3 at 3.5 ms.
  auto cell = [&](int row, int column) { return model.data(model.index(row, column)).toString(); };
  EXPECT_EQ(cell(13, TraceTableModel::kIndex), "13");
  EXPECT_EQ(cell(13, TraceTableModel::kTime), "3.500");
  EXPECT_EQ(cell(13, TraceTableModel::kNode), "P3");
  EXPECT_EQ(cell(13, TraceTableModel::kKind), "drop");
  EXPECT_EQ(cell(13, TraceTableModel::kPeer), "C");
  EXPECT_EQ(cell(13, TraceTableModel::kTx), "t1");
  EXPECT_EQ(cell(13, TraceTableModel::kWhat), "Prepare #3");
  EXPECT_EQ(cell(13, TraceTableModel::kDetail), "partition");
  EXPECT_EQ(cell(7, TraceTableModel::kDetail), "{\"yes\":true}");
  EXPECT_EQ(cell(16, TraceTableModel::kWhat), "query t1");
  EXPECT_EQ(cell(22, TraceTableModel::kWhat), "phase aborted");
  EXPECT_EQ(cell(23, TraceTableModel::kWhat), "AC1");
  EXPECT_EQ(cell(23, TraceTableModel::kNode), "");
  EXPECT_EQ(cell(15, TraceTableModel::kDetail), "idle");
  EXPECT_EQ(model.data(model.index(9, 0), TraceTableModel::kEventIndexRole).toInt(), 9);
  EXPECT_TRUE(model.data(model.index(23, 0), Qt::ForegroundRole).isValid());
  EXPECT_FALSE(model.data(model.index(9, 0), Qt::ForegroundRole).isValid());
}

TEST(EventFilterModel, FiltersByNodeAndKind) {
  TraceTableModel model;
  model.set_document(sample());
  EventFilterModel filter;
  filter.set_table(&model);
  EXPECT_EQ(filter.rowCount(), 25);
  // Only P3: its drop, plus the node-less partition, heal and violation.
  filter.set_nodes({false, false, false, true});
  EXPECT_EQ(filter.rowCount(), 4);
  EXPECT_EQ(filter.event_at(1), 13);
  EXPECT_EQ(filter.row_of(13), 1);
  EXPECT_EQ(filter.row_of(0), -1);
  // All nodes, sends only.
  filter.set_nodes({});
  filter.set_kinds(EventFilterModel::kind_bit(report::EventKind::send));
  EXPECT_EQ(filter.rowCount(), 6);
  // Sends and deliveries of C.
  filter.set_nodes({true, false, false, false});
  filter.set_kinds(EventFilterModel::kind_bit(report::EventKind::send) |
                   EventFilterModel::kind_bit(report::EventKind::deliver));
  EXPECT_EQ(filter.rowCount(), 6);  // C sends 3 Prepares and a Commit, gets a Vote and a Query
  for (int row = 0; row < filter.rowCount(); ++row)
    EXPECT_EQ(filter.data(filter.index(row, TraceTableModel::kNode)).toString(), "C");
}

}  // namespace
}  // namespace txsim::gui
