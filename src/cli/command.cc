#include "cli/command.h"

#include <cstdio>
#include <optional>

#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "selfplay/plugin_loader.h"

namespace selfplay::cli {
namespace {

constexpr std::string_view kDefaultGame = "checkers";

// The registry, and the games the plugins added to it.
struct LoadedGames {
  GameRegistry registry = GameRegistry::with_bundled_games();
  std::vector<std::string> plugin_games;
};

absl::StatusOr<LoadedGames> load_games(const GameFlags& flags) {
  LoadedGames loaded;
  for (const std::string& path : flags.libraries) {
    if (path.empty()) continue;
    if (absl::Status status = load_game_plugin(path, loaded.registry);
        !status.ok()) {
      return status;
    }
  }
  const GameRegistry bundled = GameRegistry::with_bundled_games();
  for (const Game* game : loaded.registry.games()) {
    if (!bundled.find(game->name()).ok()) {
      loaded.plugin_games.push_back(game->name());
    }
  }
  return loaded;
}

const absl::StatusOr<LoadedGames>& loaded_games(const GameFlags& flags) {
  static const absl::StatusOr<LoadedGames> loaded = load_games(flags);
  return loaded;
}

// A shell word: quoted when it holds anything a shell would split or expand.
std::string shell_word(const std::string& word) {
  if (!word.empty() &&
      word.find_first_of(" \t\n'\"\\$`*?[]{}()<>|&;#~!") == std::string::npos) {
    return word;
  }
  return absl::StrCat("'", absl::StrReplaceAll(word, {{"'", "'\\''"}}), "'");
}

}  // namespace

int usage_error(std::string_view command, const absl::Status& status) {
  std::fprintf(stderr, "selfplay %s: %s\n", std::string(command).c_str(),
               std::string(status.message()).c_str());
  return kExitUsage;
}

int run_error(std::string_view command, const absl::Status& status) {
  std::fprintf(stderr, "selfplay %s: %s\n", std::string(command).c_str(),
               std::string(status.message()).c_str());
  return kExitFailure;
}

void add_game_flags(CLI::App& command, GameFlags& flags, bool players) {
  command.add_option("--game", flags.game,
                     "the game (see `selfplay games`); default: the one game "
                     "of --game-lib, else checkers");
  if (players) {
    command.add_option("--players", flags.players,
                       "number of players; 0 = the game's default");
  }
  command
      .add_option("--game-lib", flags.libraries,
                  "game plugins to load: shared libraries (see "
                  "include/selfplay/plugin.h), comma-separated or repeated; "
                  "their games join the bundled ones")
      ->delimiter(',')
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

absl::StatusOr<const GameRegistry*> game_registry(const GameFlags& flags) {
  const absl::StatusOr<LoadedGames>& loaded = loaded_games(flags);
  if (!loaded.ok()) return loaded.status();
  return &loaded->registry;
}

absl::StatusOr<const Game*> selected_game(const GameFlags& flags) {
  const absl::StatusOr<LoadedGames>& loaded = loaded_games(flags);
  if (!loaded.ok()) return loaded.status();
  std::string name = flags.game;
  if (name.empty() && !flags.libraries.empty()) {
    if (loaded->plugin_games.size() != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("--game-lib defines the games ",
                       absl::StrJoin(loaded->plugin_games, ", "),
                       ": choose one with --game"));
    }
    name = loaded->plugin_games[0];
  }
  if (name.empty()) name = kDefaultGame;
  return loaded->registry.find(name);
}

absl::StatusOr<int> selected_players(const Game& game, int players) {
  absl::StatusOr<int> checked = check_players(game.structure(), players);
  if (!checked.ok()) {
    // The library names the option, the flag's name less its dashes.
    return absl::InvalidArgumentError(
        absl::StrCat("--", checked.status().message()));
  }
  return checked;
}

absl::StatusOr<PlayerSpec> parse_player_flag(std::string_view flag,
                                             const std::string& text,
                                             int search_threads,
                                             bool time_budgets) {
  absl::StatusOr<PlayerSpec> spec = parse_player_spec(text);
  if (!spec.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", std::string(flag), ": ", spec.status().message()));
  }
  if (!time_budgets && !spec->reproducible()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", std::string(flag), ": ", text,
        " has a time per move, which only `selfplay play` takes (its games "
        "depend on the machine, not on the seed alone): give iterations"));
  }
  if (spec->is_mcts() && text.find('/') == std::string::npos &&
      search_threads != 1) {
    if (search_threads < 1 || search_threads > spec->iterations) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--search-threads must be 1..", spec->iterations, " for --",
          std::string(flag), " ", text, ", not ", search_threads));
    }
    spec->search_threads = search_threads;
  }
  return spec;
}

void add_run_flags(CLI::App& command, std::uint64_t& seed, int& max_actions,
                   int* threads) {
  if (threads != nullptr) {
    command.add_option("--threads", *threads, "worker threads; 0 = all cores")
        ->check(within(limits::kThreads))
        ->capture_default_str();
  }
  command
      .add_option("--seed", seed, "base seed; game i uses seed_for(seed, i)")
      ->capture_default_str();
  command
      .add_option("--max-actions", max_actions,
                  "truncate a game after this many actions (then it counts "
                  "as truncated: a draw in matches)")
      ->check(within(limits::kMaxActions))
      ->capture_default_str();
}

void add_search_threads_flag(CLI::App& command, int& trees) {
  command.add_option(
      "--search-threads", trees,
      "root-parallel MCTS: each MCTS player's iterations are shared by this "
      "many trees, searched as nested tasks in the same thread pool (the same "
      "as writing mcts:N/T); the result depends on T, never on --threads");
}

std::string command_line(const CLI::App& command, std::string_view skip) {
  std::string line = absl::StrCat("selfplay ", command.get_name());
  for (const CLI::Option* option : command.get_options()) {
    if (option->count() == 0 || option->get_name() == "--help") continue;
    const std::string name = option->get_name(false, true);
    if (name == absl::StrCat("--", std::string(skip))) continue;
    if (option->get_expected_min() == 0) {  // a flag
      const bool on = option->as<bool>();
      const std::string& typed = option->get_lnames().front();
      absl::StrAppend(&line, on ? " --" : " --no", typed);
      continue;
    }
    absl::StrAppend(&line, " ", name, " ",
                    shell_word(absl::StrJoin(option->results(), ",")));
  }
  return line;
}

}  // namespace selfplay::cli
