// `selfplay perft --game G --depth D`: leaf counts of the move generator.
// A count beyond 64 bits is an error, never a wrapped number; Ctrl-C stops a
// deep count (exit code 130) after the depths already printed.
#include <chrono>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "cli/command.h"
#include "io/utf8.h"
#include "selfplay/interrupt.h"
#include "selfplay/perft.h"

namespace selfplay::cli {
namespace {

struct PerftFlags {
  GameFlags game;
  int depth = 5;
};

int run_perft(const PerftFlags& flags) {
  absl::StatusOr<const Game*> game = selected_game(flags.game);
  if (!game.ok()) return usage_error("perft", game.status());
  absl::StatusOr<int> players = selected_players(**game, flags.game.players);
  if (!players.ok()) return usage_error("perft", players.status());
  const int depth = flags.depth;
  if (!(*game)->structure().deterministic) {
    return usage_error(
        "perft",
        absl::InvalidArgumentError(absl::StrCat(
            (*game)->name(), " has chance; perft needs a deterministic game")));
  }
  StopToken stop;
  InterruptHandler interrupt(stop);  // Ctrl-C ends the count, exit code 130
  try {
    const std::unique_ptr<State> root = (*game)->new_initial_state(0, *players);
    std::printf("perft of %s, %d players\n%-6s %16s %10s\n",
                (*game)->name().c_str(), *players, "depth", "leaves",
                "seconds");
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

CommandRun add_perft_command(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "perft",
      "count action sequences of each length up to --depth (deterministic "
      "games)");
  auto flags = std::make_shared<PerftFlags>();
  add_game_flags(*command, flags->game);
  command->add_option("--depth", flags->depth, "search depth in actions")
      ->check(within(limits::kPerftDepth))
      ->capture_default_str();
  return [flags] { return run_perft(*flags); };
}

}  // namespace selfplay::cli
