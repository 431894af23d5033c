#include "selfplay/players.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "selfplay/mcts.h"
#include "selfplay/objective_players.h"

namespace selfplay {
namespace {

constexpr int kMaxIterations = 10'000'000;
constexpr int kMaxRolloutDepth = 10'000;
constexpr int kMaxLookahead = 2;
constexpr double kMaxExploration = 100;

absl::Status bad_spec(std::string_view text) {
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown player '", std::string(text),
      "': use random, mcts:N[/T], mcts-cheat:N[/T], greedy[:L][:q[Q]] or "
      "objective-mcts:N[:D[:q[Q]][:decisive][:cC]][/T] (N iterations 1..",
      kMaxIterations, " or a time per move such as 5ms, up to ",
      absl::FormatDuration(kMaxTimePerMove), ", D rollout depth 0..",
      kMaxRolloutDepth, ", L lookahead 1..", kMaxLookahead,
      ", Q quiescence depth 1..", kMaxQuiescenceDepth, " (default ",
      kDefaultQuiescenceDepth, "), C exploration constant 0..", kMaxExploration,
      ", T root-parallel trees 1..N)"));
}

bool parse_bounded(absl::string_view text, int max, int& out, int min = 1) {
  return absl::SimpleAtoi(text, &out) && out >= min && out <= max;
}

// An MCTS budget: N iterations, or a time per move with the iteration cap.
bool parse_budget(absl::string_view text, PlayerSpec& spec) {
  if (parse_bounded(text, kMaxIterations, spec.iterations)) return true;
  absl::Duration time;
  if (!absl::ParseDuration(std::string(text), &time) ||
      time <= absl::ZeroDuration() || time > kMaxTimePerMove) {
    return false;
  }
  spec.time_per_move = time;
  spec.iterations = kTimedIterationCap;
  return true;
}

// An optional "q" (the default quiescence depth) or "qQ" at parts[next],
// which it steps past; false for a bad depth.
bool parse_quiescence(const std::vector<absl::string_view>& parts,
                      std::size_t& next, PlayerSpec& spec) {
  if (next >= parts.size() || !absl::StartsWith(parts[next], "q")) return true;
  const absl::string_view depth = parts[next].substr(1);
  spec.quiescence = kDefaultQuiescenceDepth;
  ++next;
  return depth.empty() ||
         parse_bounded(depth, kMaxQuiescenceDepth, spec.quiescence);
}

}  // namespace

std::string exploration_suffix(double exploration) {
  return exploration == MctsOptions{}.exploration
             ? ""
             : absl::StrCat(":c", exploration);
}

std::string PlayerSpec::to_string() const {
  if (search_threads > 1) {
    PlayerSpec one_tree = *this;
    one_tree.search_threads = 1;
    return absl::StrCat(one_tree.to_string(), "/", search_threads);
  }
  switch (kind) {
    case Kind::kRandom:
      return "random";
    case Kind::kMcts:
      return absl::StrCat("mcts:", mcts_budget_name(iterations, time_per_move));
    case Kind::kGreedy:
      return GreedyObjectivePolicy::spec_name(lookahead, quiescence);
    case Kind::kObjectiveMcts:
      return absl::StrCat(
          "objective-mcts:", mcts_budget_name(iterations, time_per_move), ":",
          rollout_depth, quiescence_suffix(quiescence),
          decisive_moves ? ":decisive" : "", exploration_suffix(exploration));
    case Kind::kCheatingMcts:
      return absl::StrCat("mcts-cheat:",
                          mcts_budget_name(iterations, time_per_move));
  }
  return "unknown";
}

absl::StatusOr<PlayerSpec> parse_player_spec(std::string_view text) {
  // "/T": root-parallel trees of an MCTS kind.
  if (const std::size_t slash = text.find('/'); slash != text.npos) {
    absl::StatusOr<PlayerSpec> spec = parse_player_spec(text.substr(0, slash));
    const std::string trees(text.substr(slash + 1));
    if (!spec.ok() || !spec->is_mcts() ||
        !parse_bounded(trees, spec->iterations, spec->search_threads)) {
      return bad_spec(text);
    }
    return spec;
  }
  // Debian's Abseil has its own string_view type.
  const std::vector<absl::string_view> parts =
      absl::StrSplit(absl::string_view(text.data(), text.size()), ':');
  PlayerSpec spec;
  if (parts.size() == 1 && parts[0] == "random") return spec;
  if (parts.size() <= 3 && parts[0] == "greedy") {
    spec.kind = PlayerSpec::Kind::kGreedy;
    std::size_t next = 1;
    if (next < parts.size() && !absl::StartsWith(parts[next], "q")) {
      if (!parse_bounded(parts[next], kMaxLookahead, spec.lookahead)) {
        return bad_spec(text);
      }
      ++next;
    }
    if (!parse_quiescence(parts, next, spec)) return bad_spec(text);
    if (next == parts.size()) return spec;
  }
  if (parts.size() == 2 && (parts[0] == "mcts" || parts[0] == "mcts-cheat") &&
      parse_budget(parts[1], spec)) {
    spec.kind = parts[0] == "mcts" ? PlayerSpec::Kind::kMcts
                                   : PlayerSpec::Kind::kCheatingMcts;
    return spec;
  }
  if (parts.size() >= 2 && parts.size() <= 5 && parts[0] == "objective-mcts" &&
      parse_budget(parts[1], spec)) {
    spec.kind = PlayerSpec::Kind::kObjectiveMcts;
    spec.rollout_depth = kDefaultObjectiveRolloutDepth;
    if (parts.size() == 2) return spec;
    if (!parse_bounded(parts[2], kMaxRolloutDepth, spec.rollout_depth, 0)) {
      return bad_spec(text);
    }
    std::size_t next = 3;
    if (!parse_quiescence(parts, next, spec)) return bad_spec(text);
    if (next < parts.size() && parts[next] == "decisive") {
      spec.decisive_moves = true;
      ++next;
    }
    if (next < parts.size() && absl::StartsWith(parts[next], "c")) {
      if (!absl::SimpleAtod(parts[next].substr(1), &spec.exploration) ||
          !(spec.exploration >= 0 && spec.exploration <= kMaxExploration)) {
        return bad_spec(text);
      }
      ++next;
    }
    if (next == parts.size()) return spec;
  }
  return bad_spec(text);
}

absl::StatusOr<std::unique_ptr<Policy>> make_player(const PlayerSpec& spec,
                                                    const Model* model) {
  if (spec.needs_model() && model == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("player ", spec.to_string(), " needs a model"));
  }
  switch (spec.kind) {
    case PlayerSpec::Kind::kRandom:
      return std::make_unique<RandomPolicy>();
    case PlayerSpec::Kind::kGreedy:
      return std::make_unique<GreedyObjectivePolicy>(*model, spec.lookahead,
                                                     spec.quiescence);
    case PlayerSpec::Kind::kMcts:
    case PlayerSpec::Kind::kCheatingMcts: {
      absl::StatusOr<std::unique_ptr<MctsPolicy>> mcts = MctsPolicy::create(
          {.iterations = spec.iterations,
           .time_per_move = spec.time_per_move,
           .search_threads = spec.search_threads,
           .see_hidden_information =
               spec.kind == PlayerSpec::Kind::kCheatingMcts});
      if (!mcts.ok()) return mcts.status();
      return std::unique_ptr<Policy>(*std::move(mcts));
    }
    case PlayerSpec::Kind::kObjectiveMcts:
      return make_objective_mcts(*model,
                                 {.iterations = spec.iterations,
                                  .time_per_move = spec.time_per_move,
                                  .exploration = spec.exploration,
                                  .rollout_depth = spec.rollout_depth,
                                  .decisive_moves = spec.decisive_moves,
                                  .search_threads = spec.search_threads},
                                 spec.quiescence);
  }
  return absl::InvalidArgumentError("unknown player kind");
}

std::vector<const Policy*> SeatPlayers::policies() const {
  std::vector<const Policy*> policies;
  for (const std::unique_ptr<Policy>& player : players) {
    policies.push_back(player->name() == RandomPolicy().name() ? nullptr
                                                               : player.get());
  }
  return policies;
}

absl::StatusOr<SeatPlayers> make_seat_players(
    const std::vector<PlayerSpec>& specs, int seats, const Model* model) {
  if (specs.size() != 1 && specs.size() != static_cast<std::size_t>(seats)) {
    return absl::InvalidArgumentError(
        absl::StrCat(specs.size(), " players named for ", seats,
                     " seats: give one for every seat or one per seat"));
  }
  SeatPlayers seat_players;
  for (int seat = 0; seat < seats; ++seat) {
    absl::StatusOr<std::unique_ptr<Policy>> player =
        make_player(specs[specs.size() == 1 ? 0 : seat], model);
    if (!player.ok()) return player.status();
    seat_players.players.push_back(*std::move(player));
  }
  return seat_players;
}

}  // namespace selfplay
