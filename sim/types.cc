#include "sim/types.h"

#include <cstdio>

namespace txsim {

std::string format_duration(Micros d) {
  const char* sign = d < 0 ? "-" : "";
  const std::uint64_t v = d < 0 ? static_cast<std::uint64_t>(-d) : static_cast<std::uint64_t>(d);
  char buf[48];
  if (v % 1000 != 0 || v == 0) {
    if (v < 1000) {
      std::snprintf(buf, sizeof buf, "%s%lluus", sign, static_cast<unsigned long long>(v));
    } else {
      std::snprintf(buf, sizeof buf, "%s%llu.%03llums", sign,
                    static_cast<unsigned long long>(v / 1000),
                    static_cast<unsigned long long>(v % 1000));
    }
  } else if (v % 1'000'000 != 0) {
    std::snprintf(buf, sizeof buf, "%s%llums", sign, static_cast<unsigned long long>(v / 1000));
  } else {
    std::snprintf(buf, sizeof buf, "%s%llus", sign, static_cast<unsigned long long>(v / 1000000));
  }
  return buf;
}

}  // namespace txsim
