#include "games/bundled_games.h"

#include "games/checkers.h"

namespace selfplay {

std::vector<std::unique_ptr<Game>> make_bundled_games() {
  std::vector<std::unique_ptr<Game>> games;
  games.push_back(make_checkers_game());
  return games;
}

}  // namespace selfplay
