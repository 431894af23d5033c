#include "games/bundled_games.h"

#include "games/checkers.h"
#include "games/connect_four.h"
#include "games/go_fish.h"
#include "games/hex.h"
#include "games/tic_tac_toe.h"

namespace selfplay {

std::vector<std::unique_ptr<Game>> make_bundled_games() {
  std::vector<std::unique_ptr<Game>> games;
  games.push_back(make_checkers_game());
  games.push_back(make_connect_four_game());
  games.push_back(make_hex_game(7));
  games.push_back(make_hex_game(9));
  games.push_back(make_hex_game(11));
  games.push_back(make_go_fish_game());
  games.push_back(make_tic_tac_toe_game());
  return games;
}

}  // namespace selfplay
