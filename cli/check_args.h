// From `txsim check` arguments to the checker's options: strategy, threads, limits (with
// sizes such as "2GiB"), and the progress line printed on a terminal.
#pragma once

#include "cli/commands.h"
#include "sim/check/check_options.h"
#include "sim/types.h"

namespace txsim::cli {

// "512MB", "2GiB", "1G", "1048576": bytes; decimal (kB, MB, GB) and binary (KiB, MiB, GiB)
// units, a bare number is bytes. Returns an error message or "".
std::string parse_size(std::string_view text, std::uint64_t& bytes);

Result<check::CheckOptions> check_options_of(const CheckArgs& args);

// One line on stderr, rewritten in place: distinct, generated, frontier, depth, rate, memory.
void print_progress(const check::Progress& p);

}  // namespace txsim::cli
