#include "reports/timeline_text.h"

#include <algorithm>
#include <cstdio>

namespace txsim {

namespace {
std::string time_col(Micros t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%9lld.%03lldms", static_cast<long long>(t / 1000),
                static_cast<long long>(t % 1000));
  return buf;
}
std::string pad(const std::string& s, std::size_t w) {
  return s.size() >= w ? s : s + std::string(w - s.size(), ' ');
}
}  // namespace

void TimelineText::begin(const TraceHeader& h) {
  sc_ = h.scenario;
  phases_.assign(h.phase_names.begin(), h.phase_names.end());
  for (const auto& n : sc_->nodes) width_ = std::max(width_, n.name.size());
  std::fprintf(out_, "scenario %s  protocol %s  seed %llu\n", sc_->name.c_str(),
               h.protocol.c_str(), static_cast<unsigned long long>(h.seed));
}

std::string TimelineText::paint(const std::string& s, const char* ansi) const {
  return style_.color ? std::string("\x1b[") + ansi + "m" + s + "\x1b[0m" : s;
}

std::string TimelineText::observation(const TraceEvent& e) const {
  const Observation& o = e.obs;
  switch (o.kind) {
    case ObsKind::vote: return "votes " + std::string(o.value ? "yes" : "no") + " on" + tx(o.tx);
    case ObsKind::decide:
      return paint("decides " + std::string(o.value ? "COMMIT" : "ABORT") + tx(o.tx),
                   o.value ? "32" : "33");
    case ObsKind::phase: {
      const std::string ph = std::size_t(o.value) < phases_.size() ? phases_[o.value] : "?";
      return (o.tx == kNoTx ? std::string("") : sc_->transactions[o.tx].name + " ") + "-> " + ph;
    }
    case ObsKind::balance:
      if (!style_.show_balances) return "";
      return sc_->account_label(o.account) + (o.value >= 0 ? " +" : " ") +
             std::to_string(o.value) + tx(o.tx);
    case ObsKind::freeze:
      return "freezes " + std::to_string(o.value) + " of " + sc_->account_label(o.account) + tx(o.tx);
    case ObsKind::lock:
    case ObsKind::unlock:
      if (!style_.show_locks) return "";
      return std::string(o.kind == ObsKind::lock ? "locks " : "unlocks ") +
             sc_->account_label(o.account) + " for" + tx(o.tx);
    case ObsKind::effect: return "effect " + std::to_string(o.value) + tx(o.tx);
    case ObsKind::forget: return "forgets" + tx(o.tx) + " (end record)";
  }
  return "";
}

std::string TimelineText::line(const TraceEvent& e) const {
  const std::string node = e.node == kNoNode ? pad("", width_) : pad(name(e.node), width_);
  const std::string peer = e.peer == kNoNode ? "" : pad(name(e.peer), width_);
  // Payload fields beyond the tx, e.g. {"yes":false}; "{}" says nothing more.
  const std::string extra = e.text.size() > 2 && e.kind == TraceKind::send
                                ? " " + std::string(e.text) : std::string();
  const std::string msg =
      std::string(e.type) + tx(e.tx) + extra + "  #" + std::to_string(e.msg_id);
  std::string body;
  switch (e.kind) {
    case TraceKind::request: body = node + "    client submits" + tx(e.tx) +
                                    (e.text.empty() ? "" : " (" + std::string(e.text) + ")");
      break;
    case TraceKind::send: body = node + " -> " + peer + " " + msg; break;
    case TraceKind::deliver: body = node + " <- " + peer + " " + msg; break;
    case TraceKind::drop:
      body = node + " x- " + peer + " " + msg + "  LOST (" + std::string(e.text) + ")";
      break;
    case TraceKind::duplicate: body = node + " <= " + peer + " " + msg + "  duplicated"; break;
    case TraceKind::timer: body = node + "    timer " + std::string(e.type); break;
    case TraceKind::crash:
      body = paint("** " + name(e.node) + " CRASHES" +
                   (e.value >= 0 ? " after " + std::to_string(e.value) + " effect(s) of its handler"
                                 : std::string()) + " **", "1;31");
      break;
    case TraceKind::recover: body = paint("** " + name(e.node) + " RECOVERS from its log **", "1;36");
      break;
    case TraceKind::partition: body = paint("== PARTITION " + std::string(e.text) + " ==", "1;35");
      break;
    case TraceKind::heal: body = paint("== network HEALED ==", "1;35"); break;
    case TraceKind::observe: {
      const std::string o = observation(e);
      if (o.empty()) return "";
      body = node + "    " + o;
      break;
    }
    case TraceKind::choose:
      body = node + "    chooses " + std::to_string(e.obs.value) + " of " +
             std::to_string(e.obs.account);
      break;
    case TraceKind::state: return "";
    case TraceKind::violation:
      body = paint("!! VIOLATION " + std::string(e.type) + ": " + std::string(e.text), "1;41");
      break;
  }
  return time_col(e.time) + "  " + body;
}

void TimelineText::event(const TraceEvent& e) {
  const std::string s = line(e);
  if (!s.empty()) std::fprintf(out_, "%s\n", s.c_str());
}

void TimelineText::end(Micros time) {
  std::fprintf(out_, "%s  end of run\n", time_col(time).c_str());
}

}  // namespace txsim
