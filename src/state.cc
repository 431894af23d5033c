#include "selfplay/game.h"

namespace selfplay {

std::int64_t State::player_property(int, int) const { return 0; }

int State::mobility(int) const { return -1; }

bool State::summarize(PositionSummary&) const { return false; }

}  // namespace selfplay
