#include "games/bundled_games.h"

namespace selfplay {

std::vector<std::unique_ptr<Game>> make_bundled_games() {
  std::vector<std::unique_ptr<Game>> games;
  return games;
}

}  // namespace selfplay
