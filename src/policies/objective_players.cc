#include "selfplay/objective_players.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tbb/enumerable_thread_specific.h"

namespace selfplay {

struct GreedyObjectivePolicy::Buffers {
  struct Local {
    ObjectiveScratch scratch;
    std::vector<Action> best;
    std::vector<Action> replies;
    std::vector<Action> legal;
    // The forcing actions of the position `depth` quiescence plies from the
    // leaf, at index depth - 1: each level of the search keeps its own.
    std::vector<std::vector<Action>> forcing;
  };
  tbb::enumerable_thread_specific<Local> per_thread;
};

GreedyObjectivePolicy::GreedyObjectivePolicy(const Model& model, int lookahead,
                                             int quiescence_depth)
    : model_(model),
      lookahead_(std::clamp(lookahead, 1, 2)),
      quiescence_depth_(std::clamp(quiescence_depth, 0, kMaxQuiescenceDepth)),
      buffers_(std::make_unique<Buffers>()) {
  const std::vector<std::string>& kinds = model.action_kinds();
  for (std::size_t kind = 0; kind < kinds.size(); ++kind) {
    if (std::find(kForcingActionKinds.begin(), kForcingActionKinds.end(),
                  kinds[kind]) != kForcingActionKinds.end()) {
      forcing_kinds_ |= std::uint64_t{1} << kind;
    }
  }
}

GreedyObjectivePolicy::~GreedyObjectivePolicy() = default;

std::string GreedyObjectivePolicy::name() const {
  return spec_name(lookahead_, quiescence_depth_);
}

std::string GreedyObjectivePolicy::spec_name(int lookahead,
                                             int quiescence_depth) {
  std::string name = "greedy";
  if (lookahead > 1) absl::StrAppend(&name, ":", lookahead);
  if (quiescence_depth > 0) {
    absl::StrAppend(&name, ":q",
                    quiescence_depth == kDefaultQuiescenceDepth
                        ? std::string()
                        : absl::StrCat(quiescence_depth));
  }
  return name;
}

double GreedyObjectivePolicy::terminal_value(const State& position,
                                             int mover) const {
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  const std::vector<int> winners = position.winners();
  const bool won =
      std::find(winners.begin(), winners.end(), mover) != winners.end();
  if (won && winners.size() == 1) return kInfinity;
  if (!won && !winners.empty()) return -kInfinity;
  return model_.score(position, mover, buffers_->per_thread.local().scratch);
}

double GreedyObjectivePolicy::value(const State& position, int mover,
                                    int plies) const {
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  Buffers::Local& local = buffers_->per_thread.local();
  if (position.is_terminal()) return terminal_value(position, mover);
  if (plies <= 1) {
    return quiescence_depth_ > 0
               ? quiet_value(position, mover, quiescence_depth_)
               : model_.score(position, mover, local.scratch);
  }
  // Only this level fills `replies`: one level down plies is 1, as the
  // lookahead is at most 2.
  position.legal_actions(local.replies);
  const bool mover_replies = position.current_player() == mover;
  double result = mover_replies ? -kInfinity : kInfinity;
  for (Action reply : local.replies) {
    std::unique_ptr<State> next = position.clone();
    next->apply_action(reply);
    const double reply_value = value(*next, mover, plies - 1);
    result = mover_replies ? std::max(result, reply_value)
                           : std::min(result, reply_value);
  }
  return result;
}

double GreedyObjectivePolicy::quiet_value(const State& position, int mover,
                                          int depth) const {
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  if (position.is_terminal()) return terminal_value(position, mover);
  Buffers::Local& local = buffers_->per_thread.local();
  // A game without forcing kinds never pays for listing the actions.
  if (depth == 0 || forcing_kinds_ == 0) {
    return model_.score(position, mover, local.scratch);
  }
  position.legal_actions(local.legal);
  // Sized once, before any level holds a reference into it.
  if (local.forcing.empty()) local.forcing.resize(quiescence_depth_);
  std::vector<Action>& forcing = local.forcing[depth - 1];
  forcing.clear();
  for (Action action : local.legal) {
    if ((forcing_kinds_ >> position.action_kind(action)) & 1) {
      forcing.push_back(action);
    }
  }
  if (forcing.empty()) return model_.score(position, mover, local.scratch);
  const bool maximizing = position.current_player() == mover;
  // Standing pat is a choice only for a side that may play something else.
  double result = forcing.size() < local.legal.size()
                      ? model_.score(position, mover, local.scratch)
                  : maximizing ? -kInfinity
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
  struct Local {
    ObjectiveScratch scratch;
    std::vector<double> values;
  };
  tbb::enumerable_thread_specific<Local> per_thread;
};

ObjectiveEvaluator::ObjectiveEvaluator(const Model& model, double temperature)
    : model_(model),
      temperature_(temperature),
      buffers_(std::make_unique<Buffers>()) {}

ObjectiveEvaluator::~ObjectiveEvaluator() = default;

void ObjectiveEvaluator::evaluate(const State& state,
                                  absl::Span<double> rewards) const {
  Buffers::Local& local = buffers_->per_thread.local();
  const int players = static_cast<int>(rewards.size());
  local.values.resize(players);
  double highest = -std::numeric_limits<double>::infinity();
  for (int p = 0; p < players; ++p) {
    local.values[p] = model_.score(state, p, local.scratch) / temperature_;
    highest = std::max(highest, local.values[p]);
  }
  // Shifted by the highest value so that exp never overflows.
  double total = 0;
  for (int p = 0; p < players; ++p) {
    rewards[p] = std::exp(local.values[p] - highest);
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
        options.rollout_depth, options.decisive_moves ? ":decisive" : "",
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

absl::StatusOr<std::unique_ptr<Policy>> make_objective_mcts(
    const Model& model, MctsOptions options, double temperature) {
  if (options.rollout_depth < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("objective MCTS needs a rollout depth of at least 0, not ",
                     options.rollout_depth));
  }
  if (!(temperature > 0) || !std::isfinite(temperature)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the objective temperature must be > 0, not ", temperature));
  }
  auto evaluator = std::make_unique<ObjectiveEvaluator>(model, temperature);
  options.evaluator = evaluator.get();
  options.evaluate_leaves = options.rollout_depth == 0;
  absl::StatusOr<std::unique_ptr<MctsPolicy>> search =
      MctsPolicy::create(options);
  if (!search.ok()) return search.status();
  return std::make_unique<ObjectiveMctsPolicy>(std::move(evaluator),
                                               *std::move(search));
}

}  // namespace selfplay
