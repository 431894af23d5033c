// A plugin whose registration adds no game.
#include "selfplay/plugin.h"

namespace {

void register_nothing(selfplay::PluginRegistrar&) {}

}  // namespace

SELFPLAY_PLUGIN(register_nothing)
