// A good plugin: the take-away test game, as a user's library would add it.
#include "selfplay/plugin.h"
#include "test_games.h"

namespace {

void register_take_away(selfplay::PluginRegistrar& registrar) {
  registrar.add_game(std::make_unique<selfplay::testing::TakeAwayGame>());
}

}  // namespace

SELFPLAY_PLUGIN(register_take_away)
