// Games by name: the bundled ones, and any a program or plugin adds.
//
//   GameRegistry registry = GameRegistry::with_bundled_games();
//   absl::StatusOr<const Game*> game = registry.find("checkers");
//
// Not thread-safe for `add`; lookups on a registry no one modifies are.
#ifndef SELFPLAY_REGISTRY_H_
#define SELFPLAY_REGISTRY_H_

#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "selfplay/game.h"

namespace selfplay {

class GameRegistry {
 public:
  // A registry holding every bundled game.
  static GameRegistry with_bundled_games();

  // Takes ownership. InvalidArgument if the structure does not validate or
  // declares hidden information while the game's initial state (seed 0, the
  // default players) does not determinise (State::determinize returns null
  // or throws); AlreadyExists if a game of that name is registered.
  [[nodiscard]] absl::Status add(std::unique_ptr<Game> game);
  // NotFound, with the list of known names, if there is no such game.
  [[nodiscard]] absl::StatusOr<const Game*> find(std::string_view name) const;
  // All games, sorted by name.
  std::vector<const Game*> games() const;

 private:
  std::vector<std::unique_ptr<Game>> games_;
};

}  // namespace selfplay

#endif  // SELFPLAY_REGISTRY_H_
