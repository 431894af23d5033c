// A plugin whose registration throws after adding a game.
#include <stdexcept>

#include "selfplay/plugin.h"
#include "test_games.h"

namespace {

void register_then_throw(selfplay::PluginRegistrar& registrar) {
  registrar.add_game(std::make_unique<selfplay::testing::TakeAwayGame>());
  throw std::runtime_error("cannot open the opening book");
}

}  // namespace

SELFPLAY_PLUGIN(register_then_throw)
