// Nim as a plugin of the `selfplay` CLI:
//   selfplay simulate --game-lib ./libnim.so --game nim --games 100000
#include "selfplay/plugin.h"

#include "nim.h"

namespace {

void register_nim(selfplay::PluginRegistrar& registrar) {
  registrar.add_game(nim::make_nim_game());
}

}  // namespace

SELFPLAY_PLUGIN(register_nim)
