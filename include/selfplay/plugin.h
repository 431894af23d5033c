// Game plugins: a shared library that the `selfplay` program loads at run
// time (`selfplay simulate --game-lib ./libnim.so --game nim`), so that users
// run the CLI on their own games without rebuilding selfplay.
//
// A plugin defines its games against game.h, writes one registration
// function and names it with SELFPLAY_PLUGIN, which defines the two
// `extern "C"` symbols the loader looks for:
//
//   #include "selfplay/plugin.h"
//
//   void register_nim(selfplay::PluginRegistrar& registrar) {
//     registrar.add_game(std::make_unique<NimGame>());
//   }
//   SELFPLAY_PLUGIN(register_nim)
//
// and is built as a shared library (CMake: `add_library(nim MODULE ...)`
// linking selfplay::selfplay; see examples/nim).
//
// Loading, in this order: the file is opened with dlopen (RTLD_NOW); it must
// define selfplay_register_games and selfplay_plugin_api_version; the version
// it reports must equal the loader's SELFPLAY_PLUGIN_API_VERSION (a mismatch
// is refused, naming both); then selfplay_register_games runs once, and the
// games it added join the bundled ones. Any failure, including an exception
// thrown by the registration function, an invalid structure or a name that is
// already taken, refuses the whole library with an error naming it. The
// library stays loaded until the process exits, since its games' code lives
// in it.
//
// ABI: host and plugin share C++ types (Game, State, GameStructure and what
// it holds, PluginRegistrar, std::unique_ptr, std::string), so a plugin must
// be built against the headers of the selfplay that loads it, with a
// compiler using the same C++ standard library ABI (GCC and Clang with
// libstdc++ on Linux). SELFPLAY_PLUGIN_API_VERSION changes whenever one of
// those types changes layout or virtual functions.
//
// Threading: registration runs once, on the loading thread. The games it adds
// obey game.h: their const methods are called from all worker threads, and
// exceptions they throw during play fail that game only.
#ifndef SELFPLAY_PLUGIN_H_
#define SELFPLAY_PLUGIN_H_

#include <memory>

#include "selfplay/game.h"

// The plugin interface version these headers describe.
// 2: State::summarize; 3: GameStructure::num_actions.
#define SELFPLAY_PLUGIN_API_VERSION 3

namespace selfplay {

// What a plugin's registration function receives: the loader's collector of
// games. Owned by the loader; valid only during the registration call.
class PluginRegistrar {
 public:
  virtual ~PluginRegistrar() = default;

  // Adds a game; the loader takes ownership. A null game, a structure that
  // does not validate (validate_structure) or a name already registered is
  // not reported here: the loader refuses the library after registration
  // returns, with a message naming the game.
  virtual void add_game(std::unique_ptr<Game> game) = 0;
};

}  // namespace selfplay

// Exported even from a plugin compiled with -fvisibility=hidden.
#define SELFPLAY_PLUGIN_EXPORT __attribute__((visibility("default")))

// The symbols a plugin exports, with C linkage so that dlsym finds them by
// these names. SELFPLAY_PLUGIN defines both; declaring them here lets the
// compiler check a plugin's definitions against the loader's expectations.
extern "C" {
// Returns the SELFPLAY_PLUGIN_API_VERSION the plugin was compiled with.
SELFPLAY_PLUGIN_EXPORT int selfplay_plugin_api_version(void);
// Registers the plugin's games. May throw: the loader catches it and refuses
// the library.
SELFPLAY_PLUGIN_EXPORT void selfplay_register_games(
    selfplay::PluginRegistrar* registrar);
}

// Defines the plugin's two entry points; `register_function` is a
// `void(selfplay::PluginRegistrar&)`. Use once per plugin, at namespace scope.
#define SELFPLAY_PLUGIN(register_function)                                  \
  extern "C" SELFPLAY_PLUGIN_EXPORT int selfplay_plugin_api_version(void) { \
    return SELFPLAY_PLUGIN_API_VERSION;                                     \
  }                                                                         \
  extern "C" SELFPLAY_PLUGIN_EXPORT void selfplay_register_games(           \
      selfplay::PluginRegistrar* registrar) {                               \
    register_function(*registrar);                                          \
  }

#endif  // SELFPLAY_PLUGIN_H_
