#include "selfplay/game.h"

namespace selfplay {

ActionKind State::action_kind(Action) const { return 0; }

std::uint64_t State::hash() const { return kNoStateHash; }

void State::elements(std::vector<Element>& elements) const { elements.clear(); }

std::int64_t State::player_property(int, int) const { return 0; }

int State::mobility(int) const { return -1; }

bool State::summarize(PositionSummary&) const { return false; }

std::unique_ptr<State> State::determinize(int, Rng&) const { return nullptr; }

}  // namespace selfplay
