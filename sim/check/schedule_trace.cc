// ScheduleTrace: see the header.
#include "sim/check/schedule_trace.h"

#include <cerrno>
#include <cstring>

namespace txsim::check {

ScheduleTrace::ScheduleTrace(bool states) : buffer_(std::tmpfile()) {
  if (buffer_ != nullptr) writer_ = std::make_unique<JsonlTraceWriter>(buffer_, states);
}

ScheduleTrace::~ScheduleTrace() {
  if (buffer_ != nullptr) std::fclose(buffer_);
}

Result<std::string> ScheduleTrace::text(const std::vector<Action>& schedule) {
  if (buffer_ == nullptr) return Error{"error: cannot create a temporary file"};
  std::string body;
  std::fflush(buffer_);
  std::rewind(buffer_);
  char buf[4096];
  std::size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, buffer_)) > 0) body.append(buf, got);
  // The header line ends with '}': the schedule goes in before it.
  const auto eol = body.find('\n');
  if (eol == std::string::npos || eol == 0 || body[eol - 1] != '}')
    return Error{"error: internal: unexpected trace header"};
  std::string list = ",\"schedule\":[";
  for (std::size_t i = 0; i < schedule.size(); ++i) {
    const Action& act = schedule[i];
    if (i) list += ",";
    list += "{\"kind\":" + std::to_string(act.kind) + ",\"a\":" + std::to_string(act.a) +
            ",\"b\":" + std::to_string(act.b) + ",\"c\":" + std::to_string(act.c) + "}";
  }
  list += "]";
  body.insert(eol - 1, list);
  return body;
}

Result<bool> ScheduleTrace::write(const std::string& path, const std::vector<Action>& schedule) {
  auto made = text(schedule);
  if (!made) return made.error();
  const std::string& body = *made;
  std::FILE* out = std::fopen(path.c_str(), "wb");
  bool ok = out != nullptr && std::fwrite(body.data(), 1, body.size(), out) == body.size();
  if (out != nullptr) ok = std::fclose(out) == 0 && ok;
  if (!ok) return Error{path + ": error: cannot write trace: " + std::strerror(errno)};
  return true;
}

}  // namespace txsim::check
