// The game API: the only header a game author needs.
//
// A `Game` describes a game and makes initial states; a `State` is one
// position that knows its legal actions and how to apply them. A game is a
// pure function of its seed: any chance (shuffles, dice) is drawn inside the
// state from an RNG seeded by `Game::new_initial_state`.
//
//   std::unique_ptr<State> state = game.new_initial_state(seed, players);
//   std::vector<Action> actions;
//   while (!state->is_terminal()) {
//     state->legal_actions(actions);
//     state->apply_action(actions[0]);
//   }
//   std::vector<int> winners = state->winners();  // empty: a draw
//
// A game pays only for what its structure declares. The pure virtual
// methods (eight of State, two of Game) are all a game implements when it
// declares one action kind, no element types, player properties or
// mobility; `action_kind`, `hash`, `elements`, `player_property`,
// `mobility` and `determinize` have defaults that fit what is not declared
// (tests/lean_contract_test.cc runs such a game with features).
//
// Threading: a `Game` is shared by all worker threads, so its const methods
// must be thread-safe. A `State` is used by one thread at a time.
// Exceptions thrown by game code during play are caught by the engine and the
// game is counted as failed; they never take a run down.
#ifndef SELFPLAY_GAME_H_
#define SELFPLAY_GAME_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "selfplay/game_structure.h"
#include "selfplay/random.h"

namespace selfplay {

class PositionSummary;  // selfplay/position_summary.h

// The hash of a state that is never cached (State::hash's default). A game's
// own hash that happens to equal it only costs that state its cache entry.
inline constexpr std::uint64_t kNoStateHash = ~std::uint64_t{0};

// An action is a game-defined integer (a column, an encoded move, ...).
using Action = std::int32_t;

// Index into `GameStructure::action_kinds`: the unit of action statistics.
using ActionKind = std::uint8_t;

class State {
 public:
  virtual ~State() = default;

  virtual int num_players() const = 0;
  // The deciding player, 0-based. Unspecified when terminal.
  virtual int current_player() const = 0;
  virtual bool is_terminal() const = 0;
  // Clears `actions` and fills it with the legal actions (non-empty unless
  // terminal). The buffer is the caller's, so no allocation per move.
  virtual void legal_actions(std::vector<Action>& actions) const = 0;
  // `action` must be one of `legal_actions()`.
  virtual void apply_action(Action action) = 0;
  // Winners of a terminal state: empty is a draw, several is a shared win
  // (scored like a draw for each of them).
  virtual std::vector<int> winners() const = 0;
  virtual std::unique_ptr<State> clone() const = 0;
  virtual std::string to_string() const = 0;

  // What a game implements only when its structure declares what the method
  // reports; the defaults fit a structure that declares none of it.

  // The kind of a legal action, an index into the structure's action_kinds
  // (for example "move" or "jump"); the name is
  // `game.structure().action_kinds[state.action_kind(a)]`. Default: 0, right
  // for a structure with a single action kind (the engine then never asks).
  virtual ActionKind action_kind(Action action) const;
  // A 64-bit hash of everything that features can see, hand-written
  // predicates included: the key of the per-thread feature cache, so two
  // states that features tell apart must hash apart. Default: kNoStateHash,
  // which keeps the state out of the cache (features are then evaluated at
  // every decision: always right, slower for games that revisit positions).
  virtual std::uint64_t hash() const;
  // The element view that generic features read. Clears `elements` and
  // appends every element (piece, stone, card) of the position, each of a
  // declared type with the declared properties (check_element states the
  // rules; the generic path checks them in debug builds). Default: no
  // elements, right for a structure that declares no element types.
  virtual void elements(std::vector<Element>& elements) const;
  // Value of the numeric player property `property` (an index into
  // `GameStructure::player_properties`) for `player`, within +-2^40 (a value
  // beyond fails the game: features add and compare them). Default: 0.
  virtual std::int64_t player_property(int player, int property) const;
  // Number of legal actions `player` would have if it were to move; only
  // called when `GameStructure::reports_mobility` is set. Default: -1.
  virtual int mobility(int player) const;
  // The native path of the position summary: writes every quantity of
  // `summary` from the game's own representation and returns true; or returns
  // false (the default) and the engine builds it from `elements()` and the
  // two methods above. See selfplay/position_summary.h for the contract.
  virtual bool summarize(PositionSummary& summary) const;

  // Hidden information (a structure that declares `hidden_information`):
  // a determinisation of this position for `observer`, a player. It equals
  // this state in everything `observer` has seen (their own cards, what the
  // play so far has shown, so also the player to move and, when that is the
  // observer, their legal actions), and its hidden parts (opponents' cards,
  // the order of a deck) are drawn from `rng` uniformly among those
  // consistent with what the observer has seen. It reads the hidden parts of
  // this state only to leave them out: two states the observer cannot tell
  // apart give the same determinisation for the same `rng` (that is what
  // lets a search on it not depend on cards it cannot see). Default: null,
  // with nothing drawn, which says that the state hides nothing; the
  // registry refuses a game whose structure and states disagree on this.
  virtual std::unique_ptr<State> determinize(int observer, Rng& rng) const;
};

class Game {
 public:
  virtual ~Game() = default;

  virtual const GameStructure& structure() const = 0;
  // A new initial state for `players` players (within the structure's
  // player range, checked by the caller). Any chance in the game is drawn
  // from an RNG seeded with `seed`.
  virtual std::unique_ptr<State> new_initial_state(std::uint64_t seed,
                                                   int players) const = 0;

  const std::string& name() const { return structure().name; }
};

}  // namespace selfplay

#endif  // SELFPLAY_GAME_H_
