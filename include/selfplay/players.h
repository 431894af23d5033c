// Players named by a short text, as command lines and training records spell
// them:
//   random                  uniformly random
//   mcts:N                  MCTS with N iterations, random rollouts
//                           (information-set MCTS on hidden-information
//                           games, see mcts.h)
//   mcts-cheat:N            MCTS that searches the real state of a hidden-
//                           information game, hidden cards included: a
//                           cheating baseline (the same as mcts:N elsewhere)
//   greedy, greedy:2        GreedyObjectivePolicy, looking 1 or 2 plies ahead
//                           (needs a model)
//   greedy:q, greedy:2:q    the same, valuing positions once their forcing
//                           actions (captures) are played out, at most
//                           kDefaultQuiescenceDepth plies; greedy:qD at most D
//   objective-mcts:N[:D]    MCTS with N iterations, rollouts cut after D
//                           actions (default kDefaultObjectiveRolloutDepth)
//                           and scored by the objectives (needs a model);
//                           D = 0: no rollout, each new leaf is scored
//   objective-mcts:N:D:q, objective-mcts:N:D:qQ
//                           the same, scoring where a rollout stops (or the
//                           leaf, with D = 0) once its forcing actions are
//                           played out, at most kDefaultQuiescenceDepth (Q)
//                           plies (ObjectiveEvaluator's quiescence depth)
//   objective-mcts:N:D[:q[Q]]:decisive
//                           the same, expanding a node with a winning move
//                           to that move alone (MctsOptions::decisive_moves)
//   objective-mcts:N:D[:q[Q]][:decisive]:cC
//                           the same with UCB1 exploration constant C
//                           (MctsOptions::exploration, default sqrt 2):
//                           scored by the objectives, a search does better
//                           exploring less (checkers: C = 0.4, see README)
//   mcts:5ms, objective-mcts:5ms[:D]
//                           the same with a wall-clock budget per move
//                           (absl::ParseDuration: 500us, 5ms, 0.2s; up to
//                           kMaxTimePerMove) instead of iterations, capped at
//                           kTimedIterationCap iterations. NOT reproducible:
//                           the iterations that fit depend on the machine
//                           and its load (see mcts.h)
//
//   absl::StatusOr<PlayerSpec> spec = parse_player_spec("mcts:50");
//   absl::StatusOr<std::unique_ptr<Policy>> policy = make_player(*spec);
#ifndef SELFPLAY_PLAYERS_H_
#define SELFPLAY_PLAYERS_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "selfplay/mcts.h"
#include "selfplay/model.h"
#include "selfplay/policy.h"

namespace selfplay {

inline constexpr int kDefaultObjectiveRolloutDepth = 4;
// The iterations of a time-budgeted search at most: a guard on the memory of
// its tree when the budget is long.
inline constexpr int kTimedIterationCap = 1'000'000;
inline constexpr absl::Duration kMaxTimePerMove = absl::Seconds(60);

// How player names spell an MCTS exploration constant: "" for the default,
// ":cC" for another C.
std::string exploration_suffix(double exploration);

struct PlayerSpec {
  enum class Kind { kRandom, kMcts, kGreedy, kObjectiveMcts, kCheatingMcts };
  Kind kind = Kind::kRandom;
  int iterations = 0;  // MCTS kinds; with a time budget, the cap
  // MCTS kinds: the wall-clock budget per move; zero: iterations decide.
  absl::Duration time_per_move = absl::ZeroDuration();
  int rollout_depth = 0;        // kObjectiveMcts; 0 scores leaves directly
  bool decisive_moves = false;  // kObjectiveMcts
  // kObjectiveMcts: the UCB1 exploration constant, written ":cC" when it is
  // not the default.
  double exploration = MctsOptions{}.exploration;
  int lookahead = 1;   // kGreedy: 1 or 2 plies
  int quiescence = 0;  // kGreedy, kObjectiveMcts: the quiescence depth, 0: none
  // MCTS kinds: root-parallel trees sharing the iterations (MctsOptions::
  // search_threads), written "/T" after the spec: mcts:400/4.
  int search_threads = 1;

  bool needs_model() const {
    return kind == Kind::kGreedy || kind == Kind::kObjectiveMcts;
  }
  bool is_mcts() const {
    return kind == Kind::kMcts || kind == Kind::kObjectiveMcts ||
           kind == Kind::kCheatingMcts;
  }
  // Whether games with this player depend on more than their seed.
  bool reproducible() const { return time_per_move == absl::ZeroDuration(); }
  // The text parse_player_spec reads back.
  std::string to_string() const;

  bool operator==(const PlayerSpec&) const = default;
};

// InvalidArgument listing the accepted forms for anything else (iterations
// 1..10^7, a time per move in (0, kMaxTimePerMove], depth 0..10^4,
// lookahead 1..2, quiescence depth 1..kMaxQuiescenceDepth).
[[nodiscard]] absl::StatusOr<PlayerSpec> parse_player_spec(
    std::string_view text);

// A policy for `spec`. `model` (not owned, must outlive the policy) is
// required for the kinds that need one: InvalidArgument without it.
[[nodiscard]] absl::StatusOr<std::unique_ptr<Policy>> make_player(
    const PlayerSpec& spec, const Model* model = nullptr);

// The players of a run's seats (SimulationOptions::policies), which own what
// policies() points at.
struct SeatPlayers {
  std::vector<std::unique_ptr<Policy>> players;  // one per seat

  // Per seat; null for a random seat (the engine's own uniform choice).
  std::vector<const Policy*> policies() const;
};

// Players for `seats` seats from one spec for every seat or one per seat
// (`model` as make_player). InvalidArgument for another number of specs, or
// make_player's errors.
[[nodiscard]] absl::StatusOr<SeatPlayers> make_seat_players(
    const std::vector<PlayerSpec>& specs, int seats,
    const Model* model = nullptr);

}  // namespace selfplay

#endif  // SELFPLAY_PLAYERS_H_
