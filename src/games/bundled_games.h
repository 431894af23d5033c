// The games that ship with selfplay. Each lives in its own file pair with its
// rules summarised at the top; this is the one list that names them all.
#ifndef SELFPLAY_GAMES_BUNDLED_GAMES_H_
#define SELFPLAY_GAMES_BUNDLED_GAMES_H_

#include <memory>
#include <vector>

#include "selfplay/game.h"

namespace selfplay {

std::vector<std::unique_ptr<Game>> make_bundled_games();

}  // namespace selfplay

#endif  // SELFPLAY_GAMES_BUNDLED_GAMES_H_
