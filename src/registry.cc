#include "selfplay/registry.h"

#include <algorithm>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "games/bundled_games.h"

namespace selfplay {
namespace {

// A game that declares hidden information must determinise its states, or
// MCTS would search the real state and see the hidden cards. An initial
// state stands for all: a game implements determinize for its state type,
// not per position.
absl::Status check_determinizes(const Game& game) {
  const GameStructure& structure = game.structure();
  if (!structure.hidden_information) return absl::OkStatus();
  try {
    const std::unique_ptr<State> state =
        game.new_initial_state(0, structure.default_players);
    Rng rng(0);
    if (state->determinize(0, rng) != nullptr) return absl::OkStatus();
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("game '", game.name(),
                     "' declares hidden information, but determinising its "
                     "initial state threw: ",
                     e.what()));
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "game '", game.name(),
      "' declares hidden information, but its states do not implement "
      "State::determinize"));
}

}  // namespace

GameRegistry GameRegistry::with_bundled_games() {
  GameRegistry registry;
  for (std::unique_ptr<Game>& game : make_bundled_games()) {
    absl::Status status = registry.add(std::move(game));
    // A bundled game that fails validation is a bug caught by the tests.
    if (!status.ok()) throw std::logic_error(std::string(status.message()));
  }
  return registry;
}

absl::Status GameRegistry::add(std::unique_ptr<Game> game) {
  if (game == nullptr) return absl::InvalidArgumentError("null game");
  if (absl::Status status = validate_structure(game->structure());
      !status.ok()) {
    return status;
  }
  if (absl::Status status = check_determinizes(*game); !status.ok()) {
    return status;
  }
  for (const auto& known : games_) {
    if (known->name() == game->name()) {
      return absl::AlreadyExistsError(
          absl::StrCat("game '", game->name(), "' is already registered"));
    }
  }
  games_.push_back(std::move(game));
  return absl::OkStatus();
}

absl::StatusOr<const Game*> GameRegistry::find(std::string_view name) const {
  for (const auto& game : games_) {
    if (game->name() == name) return game.get();
  }
  std::vector<std::string> names;
  for (const Game* game : games()) names.push_back(game->name());
  return absl::NotFoundError(
      absl::StrCat("unknown game '", std::string(name),
                   "'; known games: ", absl::StrJoin(names, ", ")));
}

std::vector<const Game*> GameRegistry::games() const {
  std::vector<const Game*> result;
  for (const auto& game : games_) result.push_back(game.get());
  std::sort(result.begin(), result.end(),
            [](const Game* a, const Game* b) { return a->name() < b->name(); });
  return result;
}

}  // namespace selfplay
