// TraceDocument: reads what JsonlTraceWriter writes (a real run, byte for byte), indexes
// messages, and refuses malformed traces with file:line:col and the key.
#include "reports/trace_document.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "protocols/registry.h"
#include "protocols/scenario_files.h"
#include "sim/trace_jsonl.h"

namespace txsim::report {
namespace {

const char* kHeader =
    R"({"format":"txsim-trace","version":1,"scenario":"s","file":"s.yaml","protocol":"two_phase",)"
    R"("seed":7,"nodes":[{"name":"C","role":"coordinator"},{"name":"P1","role":"participant"}],)"
    R"("transactions":["t1"],"accounts":["P1.a"],"phases":["working","prepared"]})";

Result<TraceDocument> parse_lines(const std::string& events) {
  return TraceDocument::parse(std::string(kHeader) + "\n" + events, "x.jsonl");
}

std::string error_of(const std::string& events) {
  auto d = parse_lines(events);
  return d ? std::string("no error") : d.error().message;
}

TEST(TraceDocument, ReadsHeaderEventsAndMessages) {
  auto d = parse_lines(
      R"({"t":0,"ev":"send","node":"C","to":"P1","id":1,"type":"Prepare","tx":"t1","msg":{"x":[1,"}"]}})"
      "\n"
      R"({"t":5,"ev":"duplicate","node":"P1","from":"C","id":1,"type":"Prepare","tx":"t1"})"
      "\n"
      R"({"t":9,"ev":"deliver","node":"P1","from":"C","id":1,"type":"Prepare","tx":"t1"})"
      "\n"
      R"({"t":9,"ev":"observe","node":"P1","what":"phase","tx":"t1","phase":"prepared"})"
      "\n"
      R"({"t":9,"ev":"observe","node":"P1","what":"balance","tx":"t1","account":"P1.a","value":-10})"
      "\n"
      R"({"t":12,"ev":"violation","invariant":"AC1","detail":"t1: \"split\" \u00e9"})"
      "\n"
      R"({"t":20,"ev":"end"})"
      "\n");
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->protocol(), "two_phase");
  EXPECT_EQ(d->seed(), 7u);
  ASSERT_EQ(d->nodes().size(), 2u);
  EXPECT_EQ(d->nodes()[1].role, "participant");
  ASSERT_EQ(d->events().size(), 6u);
  EXPECT_EQ(d->end_time(), 20);
  const DocEvent& send = d->events()[0];
  EXPECT_EQ(send.kind, EventKind::send);
  EXPECT_EQ(send.node, 0);
  EXPECT_EQ(send.peer, 1);
  EXPECT_EQ(d->label(send.label), "Prepare");
  EXPECT_EQ(d->view(send.text), R"({"x":[1,"}"]})");
  EXPECT_EQ(d->events()[3].phase, 1);
  EXPECT_EQ(d->events()[4].account, 0);
  EXPECT_EQ(d->events()[4].value, -10);
  ASSERT_EQ(d->violations().size(), 1u);
  const DocEvent& v = d->events()[d->violations()[0]];
  EXPECT_EQ(d->label(v.label), "AC1");
  EXPECT_EQ(d->text(v.text), "t1: \"split\" \xc3\xa9");
  EXPECT_EQ(v.line, 7u);
  ASSERT_EQ(d->messages().size(), 1u);
  const DocMessage* m = d->message(1);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->send, 0);
  EXPECT_EQ(m->from, 0);
  EXPECT_EQ(m->to, 1);
  EXPECT_EQ(m->deliveries.size(), 1u);
  EXPECT_EQ(m->duplicates.size(), 1u);
  EXPECT_EQ(m->drop, kNone);
  EXPECT_EQ(d->message(2), nullptr);
  EXPECT_EQ(d->line_text(2).substr(0, 8), R"({"t":9,")");
}

TEST(TraceDocument, ErrorsNameLineColumnAndKey) {
  EXPECT_EQ(error_of(R"({"t":1,"ev":"crash","node":"Q","after_effects":-1})"),
            "x.jsonl:2:28: error: key 'node': unknown node 'Q' (not in the header)");
  EXPECT_EQ(error_of(R"({"t":"1","ev":"heal"})"),
            "x.jsonl:2:6: error: key 't': expected an integer, got \"1\"");
  EXPECT_EQ(error_of(R"({"t":1,"ev":"heal","colour":3})"),
            "x.jsonl:2:20: error: unknown key 'colour' in an event");
  EXPECT_EQ(error_of(R"({"t":1,"ev":"explode"})"),
            "x.jsonl:2:13: error: key 'ev': unknown event kind \"explode\"");
  EXPECT_EQ(error_of("{\"t\":5,\"ev\":\"heal\"}\n{\"t\":4,\"ev\":\"heal\"}"),
            "x.jsonl:3:1: error: key 't': time goes backwards (4 after 5)");
  EXPECT_EQ(error_of(R"({"t":1,"ev":"heal")"),
            "x.jsonl:2:19: error: expected ',' or '}' after a value");
  EXPECT_EQ(error_of(R"({"t":1,"ev":"send","msg":{"a":1)"), "x.jsonl:2:26: error: unclosed object");
  EXPECT_EQ(error_of(R"({"ev":"heal"})"), "x.jsonl:2:1: error: an event without its time 't'");
  EXPECT_EQ(error_of("{\"t\":1,\"ev\":\"end\"}\n{\"t\":2,\"ev\":\"heal\"}"),
            "x.jsonl:3:1: error: text after the `end` line");
}

TEST(TraceDocument, RefusesWhatIsNotATrace) {
  auto empty = TraceDocument::parse("", "e.jsonl");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message, "e.jsonl:1:1: error: empty file, not a txsim trace");
  auto yaml = TraceDocument::parse("name: x\n", "s.yaml");
  ASSERT_FALSE(yaml);
  EXPECT_EQ(yaml.error().message, "s.yaml:1:1: error: expected '{' (a JSON object)");
  auto other = TraceDocument::parse(R"({"format":"other"})", "o.jsonl");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().message,
            "o.jsonl:1:11: error: not a txsim trace (\"format\" is not \"txsim-trace\")");
  auto missing = TraceDocument::load("/nonexistent/t.jsonl");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "/nonexistent/t.jsonl: error: cannot open trace file");
}

// What the simulator writes, the document reads: every event line of a real run with
// payloads and states, and its messages all accounted for.
TEST(TraceDocument, ReadsARealRunWithStates) {
  auto sc = load_scenario(std::string(TXSIM_SOURCE_DIR) +
                          "/scenarios/two_phase/coordinator-crash-after-prepare.yaml");
  ASSERT_TRUE(sc) << sc.error().message;
  char* buf = nullptr;
  std::size_t size = 0;
  std::FILE* out = open_memstream(&buf, &size);
  JsonlTraceWriter writer(out, /*states=*/true);
  auto run = find_protocol("two_phase")->run(*sc, RunOptions{.seed = 3, .sink = &writer});
  ASSERT_TRUE(run) << run.error().message;
  std::fclose(out);
  std::string text(buf, size);
  std::free(buf);
  auto d = TraceDocument::parse(text, "run.jsonl");
  ASSERT_TRUE(d) << d.error().message;
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  EXPECT_EQ(d->events().size(), lines - 2);  // minus the header and the end line
  EXPECT_TRUE(d->has_states());
  EXPECT_FALSE(d->has_schedule());
  EXPECT_EQ(d->seed(), 3u);
  std::size_t sends = 0, ends = 0;
  for (const DocEvent& e : d->events()) sends += e.kind == EventKind::send;
  for (const DocMessage& m : d->messages()) {
    EXPECT_NE(m.send, kNone) << "message " << m.id;
    ends += m.deliveries.size() + (m.drop != kNone);
  }
  EXPECT_EQ(d->messages().size(), sends);
  EXPECT_GT(ends, 0u);
}

}  // namespace
}  // namespace txsim::report
