// `selfplay perft --game G --depth D`: leaf counts of the move generator.
// A count beyond 64 bits is an error, never a wrapped number; Ctrl-C stops a
// deep count (exit code 130) after the depths already printed.
#include <chrono>
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "cli/command.h"
#include "cli/common_flags.h"
#include "cli/interrupt.h"
#include "io/utf8.h"
#include "selfplay/perft.h"

ABSL_FLAG(int, depth, 5, "search depth in actions (1..20)");

namespace selfplay::cli {
namespace {

int run_perft(const std::vector<std::string>&) {
  absl::StatusOr<const Game*> game = selected_game();
  if (!game.ok()) return usage_error(kPerftCommand, game.status());
  absl::StatusOr<int> players = selected_players(**game);
  if (!players.ok()) return usage_error(kPerftCommand, players.status());
  const int depth = absl::GetFlag(FLAGS_depth);
  if (depth < 1 || depth > 20) {
    return usage_error(kPerftCommand,
                       absl::InvalidArgumentError(
                           absl::StrCat("--depth must be 1..20, not ", depth)));
  }
  if (!(*game)->structure().deterministic) {
    return usage_error(
        kPerftCommand,
        absl::InvalidArgumentError(absl::StrCat(
            (*game)->name(), " has chance; perft needs a deterministic game")));
  }
  StopToken stop;
  InterruptHandler interrupt(stop);  // Ctrl-C ends the count, exit code 130
  try {
    const std::unique_ptr<State> root = (*game)->new_initial_state(0, *players);
    std::printf("%-6s %16s %10s\n", "depth", "leaves", "seconds");
    for (int d = 1; d <= depth; ++d) {
      const auto start = std::chrono::steady_clock::now();
      const absl::StatusOr<std::uint64_t> leaves = perft(*root, d, &stop);
      if (absl::IsCancelled(leaves.status())) {
        std::fprintf(stderr, "selfplay perft: interrupted at depth %d\n", d);
        return interrupt_exit_code();
      }
      if (!leaves.ok()) {
        std::fprintf(stderr, "selfplay perft: %s\n",
                     std::string(leaves.status().message()).c_str());
        return kExitFailure;
      }
      const double seconds = std::chrono::duration<double>(
                                 std::chrono::steady_clock::now() - start)
                                 .count();
      std::printf("%-6d %16llu %10.3f\n", d,
                  static_cast<unsigned long long>(*leaves), seconds);
      std::fflush(stdout);
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "selfplay perft: game error: %s\n",
                 valid_utf8(error.what()).c_str());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

const Command kPerftCommand = {"perft",
                               "count action sequences of each length up to "
                               "--depth (deterministic games)",
                               {"game", "game_lib", "players", "depth"},
                               run_perft};

}  // namespace selfplay::cli
