#include "selfplay/objective_players.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "selfplay/players.h"
#include "tbb/enumerable_thread_specific.h"

namespace selfplay {

// The search behind GreedyObjectivePolicy's and ObjectiveEvaluator's
// quiescence, as objective_players.h describes it for GreedyObjectivePolicy.
class QuiescenceSearch {
 public:
  QuiescenceSearch(const Model& model, int depth)
      : model_(model), depth_(std::clamp(depth, 0, kMaxQuiescenceDepth)) {
    const std::vector<std::string>& kinds = model.action_kinds();
    for (std::size_t kind = 0; kind < kinds.size(); ++kind) {
      if (std::find(kForcingActionKinds.begin(), kForcingActionKinds.end(),
                    kinds[kind]) != kForcingActionKinds.end()) {
        forcing_kinds_ |= std::uint64_t{1} << kind;
      }
    }
  }

  int depth() const { return depth_; }

  // The mover's objective value of `position`, with this thread's scratch.
  double score(const State& position, int mover) const {
    return model_.score(position, mover, per_thread_.local().scratch);
  }

  // The mover's value of a terminal `position`: +infinity for the sole
  // winner, -infinity for a loser, the objective value otherwise.
  double terminal_value(const State& position, int mover) const {
    constexpr double kInfinity = std::numeric_limits<double>::infinity();
    const std::vector<int> winners = position.winners();
    const bool won =
        std::find(winners.begin(), winners.end(), mover) != winners.end();
    if (won && winners.size() == 1) return kInfinity;
    if (!won && !winners.empty()) return -kInfinity;
    return score(position, mover);
  }

  // The mover's value of `position` once its forcing actions are played out,
  // at most depth() of them in a row; with depth 0, the objective value, even
  // of a terminal position (as ObjectiveEvaluator has always scored).
  double value(const State& position, int mover) const {
    return depth_ == 0 ? score(position, mover)
                       : quiet_value(position, mover, depth_);
  }

 private:
  struct Local {
    ObjectiveScratch scratch;
    std::vector<Action> legal;
    // The forcing actions of the position `depth` quiescence plies from the
    // leaf, at index depth - 1: each level of the search keeps its own.
    std::vector<std::vector<Action>> forcing;
  };

  double quiet_value(const State& position, int mover, int depth) const {
    constexpr double kInfinity = std::numeric_limits<double>::infinity();
    if (position.is_terminal()) return terminal_value(position, mover);
    // A game without forcing kinds never pays for listing the actions.
    if (depth == 0 || forcing_kinds_ == 0) return score(position, mover);
    Local& local = per_thread_.local();
    position.legal_actions(local.legal);
    // Sized once, before any level holds a reference into it.
    if (local.forcing.empty()) local.forcing.resize(depth_);
    std::vector<Action>& forcing = local.forcing[depth - 1];
    forcing.clear();
    for (Action action : local.legal) {
      if ((forcing_kinds_ >> position.action_kind(action)) & 1) {
        forcing.push_back(action);
      }
    }
    if (forcing.empty()) return score(position, mover);
    const bool maximizing = position.current_player() == mover;
    // Standing pat is a choice only for a side that may play something else.
    double result = forcing.size() < local.legal.size() ? score(position, mover)
                    : maximizing                        ? -kInfinity
                                                        : kInfinity;
    for (Action action : forcing) {
      std::unique_ptr<State> next = position.clone();
      next->apply_action(action);
      const double action_value = quiet_value(*next, mover, depth - 1);
      result = maximizing ? std::max(result, action_value)
                          : std::min(result, action_value);
    }
    return result;
  }

  const Model& model_;
  int depth_;
  std::uint64_t forcing_kinds_ = 0;  // bit k: action kind k is forcing
  mutable tbb::enumerable_thread_specific<Local> per_thread_;
};

struct GreedyObjectivePolicy::Buffers {
  struct Local {
    std::vector<Action> best;
    std::vector<Action> replies;
  };
  tbb::enumerable_thread_specific<Local> per_thread;
};

GreedyObjectivePolicy::GreedyObjectivePolicy(const Model& model, int lookahead,
                                             int quiescence_depth)
    : model_(model),
      lookahead_(std::clamp(lookahead, 1, 2)),
      quiescence_(std::make_unique<QuiescenceSearch>(model, quiescence_depth)),
      buffers_(std::make_unique<Buffers>()) {}

GreedyObjectivePolicy::~GreedyObjectivePolicy() = default;

std::string GreedyObjectivePolicy::name() const {
  return spec_name(lookahead_, quiescence_->depth());
}

std::string GreedyObjectivePolicy::spec_name(int lookahead,
                                             int quiescence_depth) {
  std::string name = "greedy";
  if (lookahead > 1) absl::StrAppend(&name, ":", lookahead);
  absl::StrAppend(&name, quiescence_suffix(quiescence_depth));
  return name;
}

double GreedyObjectivePolicy::value(const State& position, int mover,
                                    int plies) const {
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  if (position.is_terminal()) {
    return quiescence_->terminal_value(position, mover);
  }
  if (plies <= 1) return quiescence_->value(position, mover);
  // Only this level fills `replies`: one level down plies is 1, as the
  // lookahead is at most 2.
  std::vector<Action>& replies = buffers_->per_thread.local().replies;
  position.legal_actions(replies);
  const bool mover_replies = position.current_player() == mover;
  double result = mover_replies ? -kInfinity : kInfinity;
  for (Action reply : replies) {
    std::unique_ptr<State> next = position.clone();
    next->apply_action(reply);
    const double reply_value = value(*next, mover, plies - 1);
    result = mover_replies ? std::max(result, reply_value)
                           : std::min(result, reply_value);
  }
  return result;
}

Action GreedyObjectivePolicy::choose_action(const State& state,
                                            absl::Span<const Action> legal,
                                            Rng& rng) const {
  const std::uint64_t tie_break = rng.next();
  if (legal.size() == 1) return legal[0];
  Buffers::Local& local = buffers_->per_thread.local();
  const int mover = state.current_player();
  double best_value = -std::numeric_limits<double>::infinity();
  local.best.clear();
  for (Action action : legal) {
    std::unique_ptr<State> child = state.clone();
    child->apply_action(action);
    const double action_value = value(*child, mover, lookahead_) +
                                model_.preference(state.action_kind(action));
    if (action_value > best_value || local.best.empty()) {
      best_value = action_value;
      local.best.assign(1, action);
    } else if (action_value == best_value) {
      local.best.push_back(action);
    }
  }
  Rng pick(tie_break);
  return local
      .best[pick.uniform(static_cast<std::uint32_t>(local.best.size()))];
}

struct ObjectiveEvaluator::Buffers {
  std::unique_ptr<QuiescenceSearch> quiescence;
  tbb::enumerable_thread_specific<std::vector<double>> values;
};

ObjectiveEvaluator::ObjectiveEvaluator(const Model& model, double temperature,
                                       int quiescence_depth)
    : temperature_(temperature), buffers_(std::make_unique<Buffers>()) {
  buffers_->quiescence =
      std::make_unique<QuiescenceSearch>(model, quiescence_depth);
}

ObjectiveEvaluator::~ObjectiveEvaluator() = default;

int ObjectiveEvaluator::quiescence_depth() const {
  return buffers_->quiescence->depth();
}

void ObjectiveEvaluator::evaluate(const State& state,
                                  absl::Span<double> rewards) const {
  std::vector<double>& values = buffers_->values.local();
  const int players = static_cast<int>(rewards.size());
  values.resize(players);
  double highest = -std::numeric_limits<double>::infinity();
  for (int p = 0; p < players; ++p) {
    values[p] = buffers_->quiescence->value(state, p) / temperature_;
    highest = std::max(highest, values[p]);
  }
  // Shifted by the highest value so that exp never overflows. A value of
  // +infinity (a forced win the quiescence search found) leaves the reward to
  // the players that have it; so does -infinity for every player.
  double total = 0;
  for (int p = 0; p < players; ++p) {
    rewards[p] = values[p] == highest ? 1 : std::exp(values[p] - highest);
    total += rewards[p];
  }
  for (int p = 0; p < players; ++p) rewards[p] /= total;
}

namespace {

// MCTS that owns the evaluator its rollouts are scored by.
class ObjectiveMctsPolicy final : public Policy {
 public:
  ObjectiveMctsPolicy(std::unique_ptr<ObjectiveEvaluator> evaluator,
                      std::unique_ptr<MctsPolicy> search)
      : evaluator_(std::move(evaluator)), search_(std::move(search)) {}

  std::string name() const override {
    // As players.h spells it, so that records name a player one way.
    const MctsOptions& options = search_->options();
    return absl::StrCat(
        "objective-mcts:",
        mcts_budget_name(options.iterations, options.time_per_move), ":",
        options.rollout_depth,
        quiescence_suffix(evaluator_->quiescence_depth()),
        options.decisive_moves ? ":decisive" : "",
        exploration_suffix(options.exploration),
        options.search_threads > 1 ? absl::StrCat("/", options.search_threads)
                                   : std::string());
  }
  Action choose_action(const State& state, absl::Span<const Action> legal,
                       Rng& rng) const override {
    return search_->choose_action(state, legal, rng);
  }

 private:
  std::unique_ptr<ObjectiveEvaluator> evaluator_;
  std::unique_ptr<MctsPolicy> search_;
};

}  // namespace

std::string quiescence_suffix(int quiescence_depth) {
  if (quiescence_depth <= 0) return "";
  if (quiescence_depth == kDefaultQuiescenceDepth) return ":q";
  return absl::StrCat(":q", quiescence_depth);
}

absl::StatusOr<std::unique_ptr<Policy>> make_objective_mcts(
    const Model& model, MctsOptions options, int quiescence_depth,
    double temperature) {
  if (options.rollout_depth < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("objective MCTS needs a rollout depth of at least 0, not ",
                     options.rollout_depth));
  }
  if (!(temperature > 0) || !std::isfinite(temperature)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the objective temperature must be > 0, not ", temperature));
  }
  auto evaluator = std::make_unique<ObjectiveEvaluator>(model, temperature,
                                                        quiescence_depth);
  options.evaluator = evaluator.get();
  options.evaluate_leaves = options.rollout_depth == 0;
  absl::StatusOr<std::unique_ptr<MctsPolicy>> search =
      MctsPolicy::create(options);
  if (!search.ok()) return search.status();
  return std::make_unique<ObjectiveMctsPolicy>(std::move(evaluator),
                                               *std::move(search));
}

}  // namespace selfplay
