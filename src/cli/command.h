// The subcommands of the `selfplay` program, on CLI11: each command file adds
// its subcommand with its own options struct, bound to the flags, and returns
// the function that runs it once the command line parsed. Flags are never
// shared across command files; the few every game command has (--game,
// --players, --game-lib) come from add_game_flags into each command's own
// struct. Every error in the arguments is one line on stderr and exit code 2.
//
//   CommandRun add_perft_command(CLI::App& app) {
//     CLI::App* command = app.add_subcommand("perft", "count leaves");
//     auto flags = std::make_shared<PerftFlags>();
//     add_game_flags(*command, flags->game);
//     command->add_option("--depth", flags->depth)->check(within(kPerftDepth));
//     return [flags] { return run_perft(*flags); };
//   }
#ifndef SELFPLAY_CLI_COMMAND_H_
#define SELFPLAY_CLI_COMMAND_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "selfplay/limits.h"
#include "selfplay/players.h"
#include "selfplay/registry.h"

namespace selfplay::cli {

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the run itself failed
inline constexpr int kExitUsage = 2;    // bad arguments or input

// Runs a parsed subcommand; returns the exit code.
using CommandRun = std::function<int()>;

// The subcommands, each defined in its own file: adds itself to `app`.
CommandRun add_games_command(CLI::App& app);
CommandRun add_features_command(CLI::App& app);
CommandRun add_perft_command(CLI::App& app);
CommandRun add_simulate_command(CLI::App& app);
CommandRun add_scale_command(CLI::App& app);
CommandRun add_records_command(CLI::App& app);
CommandRun add_train_command(CLI::App& app);
CommandRun add_play_command(CLI::App& app);

// Prints "selfplay <command>: <message>" on stderr and returns kExitUsage.
int usage_error(std::string_view command, const absl::Status& status);
// The same with kExitFailure: the run itself failed.
int run_error(std::string_view command, const absl::Status& status);

// A validator that accepts a number within the library's `limit`.
template <typename T>
CLI::Validator within(Limit<T> limit) {
  return CLI::Validator(
      [limit](std::string& text) -> std::string {
        T value{};
        if (!CLI::detail::lexical_cast(text, value)) {
          return absl::StrCat("'", text, "' is not a number");
        }
        if (limit.contains(value)) return "";
        return absl::StrCat("must be ", limit.text(), ", not ", text);
      },
      limit.text());
}

// --game, --players and --game-lib.
struct GameFlags {
  std::string game;  // empty: see selected_game
  int players = 0;   // 0: the game's default
  std::vector<std::string> libraries;
};

void add_game_flags(CLI::App& command, GameFlags& flags, bool players = true);

// The bundled games and those of the --game-lib plugins, loaded on the first
// call and kept for the process (their code must outlive every use).
// InvalidArgument naming the library when a plugin cannot be loaded.
[[nodiscard]] absl::StatusOr<const GameRegistry*> game_registry(
    const GameFlags& flags);

// The game to run: --game's; without --game, the one game of the --game-lib
// plugins (InvalidArgument asking for --game when they define several), else
// checkers. NotFound listing the known games. Every command's output names
// the game it ran.
[[nodiscard]] absl::StatusOr<const Game*> selected_game(const GameFlags& flags);

// --players resolved against the game (0: its default); InvalidArgument when
// outside the game's range.
[[nodiscard]] absl::StatusOr<int> selected_players(const Game& game,
                                                   int players);

// parse_player_spec(text), its error prefixed with the flag ("--vs: ..."),
// with `search_threads` trees for an MCTS kind that gives no "/T". A time
// per move (mcts:5ms) is refused unless `time_budgets`: only `play` and
// train's --ladder (kept in the model's run record) take one, since it makes
// games depend on the machine, and the other commands promise results that
// depend on the seed alone.
[[nodiscard]] absl::StatusOr<PlayerSpec> parse_player_flag(
    std::string_view flag, const std::string& text, int search_threads,
    bool time_budgets = false);

// --seed and --max-actions, and --threads when `threads` is given, as every
// command that plays games has them.
void add_run_flags(CLI::App& command, std::uint64_t& seed, int& max_actions,
                   int* threads = nullptr);

// Adds --search-threads, bound to `trees`.
void add_search_threads_flag(CLI::App& command, int& trees);

// The flags given on the command line of `command`, as typed, to repeat the
// run; `skip` left out.
std::string command_line(const CLI::App& command, std::string_view skip = "");

}  // namespace selfplay::cli

#endif  // SELFPLAY_CLI_COMMAND_H_
