// A plugin built against another plugin API version. Its registration must
// never run: the loader refuses the library first.
#include <stdexcept>

#include "selfplay/plugin.h"

extern "C" int selfplay_plugin_api_version(void) {
  return SELFPLAY_PLUGIN_API_VERSION + 1;
}

extern "C" void selfplay_register_games(selfplay::PluginRegistrar*) {
  throw std::logic_error("registration of a plugin with the wrong version ran");
}
