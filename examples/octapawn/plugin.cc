// Octapawn as a plugin of the `selfplay` CLI:
//   selfplay simulate --game-lib ./liboctapawn.so --game octapawn
#include "selfplay/plugin.h"

#include "octapawn.h"

namespace {

void register_octapawn(selfplay::PluginRegistrar& registrar) {
  registrar.add_game(octapawn::make_octapawn_game());
}

}  // namespace

SELFPLAY_PLUGIN(register_octapawn)
