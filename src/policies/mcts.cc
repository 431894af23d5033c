#include "selfplay/mcts.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tbb/enumerable_thread_specific.h"
#include "tbb/parallel_for.h"
#include "tbb/task_arena.h"

namespace selfplay {
namespace {

// One node of the search tree. Children of a node are contiguous in the
// arena, so a node needs no child list of its own.
struct Node {
  Action action = 0;              // the action that led here from the parent
  std::int32_t first_child = -1;  // -1: not expanded yet
  std::int32_t child_count = 0;
  // Children are tried in their (shuffled) arena order before UCB1 takes
  // over: the first `tried_children` have been visited.
  std::int32_t tried_children = 0;
  std::int32_t visits = 0;
  // The player who chose `action`; their rewards are summed in `reward`.
  std::int32_t mover = -1;
  double reward = 0;
};

// One root action's totals over a search (or several trees' searches).
struct RootStatistics {
  std::int64_t visits = 0;
  double reward = 0;
};

// The index in `legal` of the first action that ends the game with the
// mover of `state` its sole winner; -1: none.
std::ptrdiff_t winning_action(const State& state,
                              absl::Span<const Action> legal) {
  const std::vector<int> mover_alone{state.current_player()};
  for (std::size_t a = 0; a < legal.size(); ++a) {
    std::unique_ptr<State> child = state.clone();
    child->apply_action(legal[a]);
    if (child->is_terminal() && child->winners() == mover_alone) {
      return static_cast<std::ptrdiff_t>(a);
    }
  }
  return -1;
}

// Reward of `player` in a finished game: 1 sole winner, 1/2 draw or shared
// win, 0 loss.
double terminal_reward(const std::vector<int>& winners, int player) {
  if (winners.empty()) return 0.5;
  for (int winner : winners) {
    if (winner == player) return winners.size() == 1 ? 1.0 : 0.5;
  }
  return 0.0;
}

// When a time-budgeted search stops; never without a budget (and then the
// clock is never read, so iteration budgets stay pure functions of the seed).
class Deadline {
 public:
  // For a search starting now: its end, InfiniteDuration without a budget.
  static absl::Duration end_for(const MctsOptions& options) {
    return options.time_per_move > absl::ZeroDuration()
               ? now(options) + options.time_per_move
               : absl::InfiniteDuration();
  }
  Deadline(const MctsOptions& options, absl::Duration end)
      : options_(options), end_(end) {}

  bool passed() const {
    return end_ != absl::InfiniteDuration() && now(options_) >= end_;
  }

 private:
  static absl::Duration now(const MctsOptions& options) {
    return options.clock
               ? options.clock()
               : absl::FromChrono(
                     std::chrono::steady_clock::now().time_since_epoch());
  }

  const MctsOptions& options_;
  absl::Duration end_;
};

// Plays random actions from `state` and writes every player's reward.
void rollout(const MctsOptions& options, State& state,
             std::vector<Action>& actions, std::vector<double>& rewards,
             Rng& rng) {
  const int limit =
      options.evaluate_leaves ? 0
      : options.rollout_depth > 0
          ? std::min(options.rollout_depth, options.max_rollout_actions)
          : options.max_rollout_actions;
  int played = 0;
  while (!state.is_terminal() && (played < limit || options.decisive_moves)) {
    state.legal_actions(actions);
    if (actions.empty()) {
      throw std::logic_error("no legal actions in a non-terminal state");
    }
    // With decisive moves, the rollout (or the leaf, with no rollout) takes a
    // win in one like the tree does.
    if (options.decisive_moves) {
      if (const std::ptrdiff_t win = winning_action(state, actions); win >= 0) {
        state.apply_action(actions[win]);
        break;
      }
      if (played >= limit) break;
    }
    state.apply_action(
        actions[rng.uniform(static_cast<std::uint32_t>(actions.size()))]);
    ++played;
  }
  if (state.is_terminal()) {
    const std::vector<int> winners = state.winners();
    for (std::size_t p = 0; p < rewards.size(); ++p) {
      rewards[p] = terminal_reward(winners, static_cast<int>(p));
    }
  } else if (options.evaluator != nullptr) {
    options.evaluator->evaluate(state, absl::MakeSpan(rewards));
  } else {
    std::fill(rewards.begin(), rewards.end(), 0.5);
  }
}

// A node of the information-set tree. Its children are added one at a time
// (the legal actions differ between determinisations), so they are linked.
struct InformationSetNode {
  Action action = 0;  // the action that led here from the parent
  // The player who chose `action`; their rewards are summed in `reward`.
  // Part of the node's key with `action`: in different determinisations
  // different players may be to move at the same node (in go-fish, whether
  // the asker fished the rank they asked for).
  std::int32_t mover = -1;
  std::int32_t first_child = -1;
  std::int32_t next_sibling = -1;
  std::int32_t visits = 0;
  // The iterations in which `action` was legal for `mover` here: the "parent
  // visits" of this node's UCB1 term.
  std::int32_t availability = 0;
  double reward = 0;
};

// What a search reuses from one decision to the next on a thread.
struct SearchBuffers {
  std::vector<Node> nodes;
  std::vector<InformationSetNode> set_nodes;
  std::vector<std::int32_t> path;
  std::vector<Action> actions;
  std::vector<double> rewards;
  std::vector<char> has_child;
};

}  // namespace

struct MctsPolicy::SearchArena {
  tbb::enumerable_thread_specific<SearchBuffers> per_thread;
};

namespace {

class Search {
 public:
  Search(const MctsOptions& options, std::vector<Node>& nodes,
         std::vector<std::int32_t>& path, std::vector<Action>& actions,
         std::vector<double>& rewards, std::uint64_t seed)
      : options_(options),
        nodes_(nodes),
        path_(path),
        actions_(actions),
        rewards_(rewards),
        rng_(seed) {}

  // Searches `iterations` times from `root`, or fewer once `deadline` has
  // passed (after the first); then best_root_action() and root_statistics()
  // read the root's children.
  void run(const State& root, absl::Span<const Action> legal, int iterations,
           const Deadline& deadline) {
    nodes_.clear();
    nodes_.push_back(Node{});
    expand(0, root, legal);
    rewards_.assign(root.num_players(), 0.0);
    for (int i = 0; i < iterations && (i == 0 || !deadline.passed()); ++i) {
      iterate(root);
    }
  }

  // The most visited root action (ties: the higher total reward, then the
  // earlier in the search's shuffled order).
  Action best_root_action() const {
    const Node& root = nodes_[0];
    std::int32_t best = root.first_child;
    for (std::int32_t c = root.first_child + 1;
         c < root.first_child + root.child_count; ++c) {
      const Node& child = nodes_[c];
      const Node& leader = nodes_[best];
      if (child.visits > leader.visits ||
          (child.visits == leader.visits && child.reward > leader.reward)) {
        best = c;
      }
    }
    return nodes_[best].action;
  }

  // Visits and reward of each root action, in the order of `legal`.
  void root_statistics(absl::Span<const Action> legal,
                       std::vector<RootStatistics>& statistics) const {
    statistics.assign(legal.size(), RootStatistics{});
    const Node& root = nodes_[0];
    for (std::int32_t c = root.first_child;
         c < root.first_child + root.child_count; ++c) {
      const auto at = static_cast<std::size_t>(
          std::find(legal.begin(), legal.end(), nodes_[c].action) -
          legal.begin());
      statistics[at].visits += nodes_[c].visits;
      statistics[at].reward += nodes_[c].reward;
    }
  }

 private:
  // Grows the children of `node`, whose position is `state` and whose legal
  // actions are `legal`.
  void expand(std::int32_t node, const State& state,
              absl::Span<const Action> legal) {
    const int mover = state.current_player();
    if (options_.decisive_moves) {
      if (const std::ptrdiff_t win = winning_action(state, legal); win >= 0) {
        legal = legal.subspan(win, 1);
      }
    }
    const auto first = static_cast<std::int32_t>(nodes_.size());
    const auto count = static_cast<std::int32_t>(legal.size());
    for (Action action : legal) {
      nodes_.push_back(Node{.action = action, .mover = mover});
    }
    // A uniformly random order for the first visits, so that equal children
    // are not always tried (and, with few iterations, picked) left to right.
    for (std::int32_t i = count - 1; i > 0; --i) {
      const auto j = static_cast<std::int32_t>(
          rng_.uniform(static_cast<std::uint32_t>(i + 1)));
      std::swap(nodes_[first + i].action, nodes_[first + j].action);
    }
    nodes_[node].first_child = first;
    nodes_[node].child_count = count;
  }

  std::int32_t select_child(std::int32_t parent) {
    Node& node = nodes_[parent];
    if (node.tried_children < node.child_count) {
      return node.first_child + node.tried_children++;
    }
    const double log_visits = std::log(static_cast<double>(node.visits));
    std::int32_t best = node.first_child;
    double best_value = -std::numeric_limits<double>::infinity();
    for (std::int32_t c = node.first_child;
         c < node.first_child + node.child_count; ++c) {
      const Node& child = nodes_[c];
      const double visits = child.visits;
      const double value =
          child.reward / visits +
          options_.exploration * std::sqrt(log_visits / visits);
      if (value > best_value) {
        best_value = value;
        best = c;
      }
    }
    return best;
  }

  // Selection, expansion, rollout and backpropagation on a clone of `root`.
  void iterate(const State& root) {
    std::unique_ptr<State> state = root.clone();
    path_.clear();
    path_.push_back(0);
    std::int32_t node = 0;
    while (!state->is_terminal()) {
      if (nodes_[node].first_child < 0) {
        // A leaf seen for the first time is scored by a rollout; on its
        // second visit it grows its children.
        if (nodes_[node].visits == 0) break;
        state->legal_actions(actions_);
        if (actions_.empty()) {
          throw std::logic_error("no legal actions in a non-terminal state");
        }
        expand(node, *state, actions_);
      }
      node = select_child(node);
      state->apply_action(nodes_[node].action);
      path_.push_back(node);
    }
    rollout(options_, *state, actions_, rewards_, rng_);
    for (std::int32_t on_path : path_) {
      Node& visited = nodes_[on_path];
      ++visited.visits;
      if (visited.mover >= 0) visited.reward += rewards_[visited.mover];
    }
  }

  const MctsOptions& options_;
  std::vector<Node>& nodes_;
  std::vector<std::int32_t>& path_;
  std::vector<Action>& actions_;
  std::vector<double>& rewards_;
  Rng rng_;
};

// Single-observer information-set MCTS (Cowling, Powley and Whitehouse
// 2012): every iteration plays on a new determinisation of the root for the
// player to move there, so the search never reads what that player cannot
// see. A node stands for the actions that led to it, whatever the hidden
// cards; a child is legal in some determinisations and not in others, so
// UCB1 takes its availability, not its parent's visits.
class InformationSetSearch {
 public:
  InformationSetSearch(const MctsOptions& options, SearchBuffers& buffers,
                       std::uint64_t seed)
      : options_(options), buffers_(buffers), rng_(seed) {}

  // Searches `iterations` times from determinisations of `root`, or fewer
  // once `deadline` has passed (after the first); false, with nothing
  // searched, when `root` hides nothing (State::determinize is null).
  bool run(const State& root, int iterations, const Deadline& deadline) {
    const int observer = root.current_player();
    std::unique_ptr<State> determinisation = root.determinize(observer, rng_);
    if (determinisation == nullptr) return false;
    nodes().clear();
    nodes().push_back(InformationSetNode{});
    buffers_.rewards.assign(root.num_players(), 0.0);
    for (int i = 0; i < iterations && (i == 0 || !deadline.passed()); ++i) {
      if (i > 0) determinisation = root.determinize(observer, rng_);
      iterate(*determinisation);
    }
    return true;
  }

  // The most visited root action (ties: the higher total reward, then the
  // later tried).
  Action best_root_action() const {
    const std::vector<InformationSetNode>& tree = nodes();
    std::int32_t best = tree[0].first_child;
    for (std::int32_t c = best; c >= 0; c = tree[c].next_sibling) {
      const InformationSetNode& child = tree[c];
      if (child.visits > tree[best].visits ||
          (child.visits == tree[best].visits &&
           child.reward > tree[best].reward)) {
        best = c;
      }
    }
    return tree[best].action;
  }

  // Visits and reward of each root action, in the order of `legal`.
  void root_statistics(absl::Span<const Action> legal,
                       std::vector<RootStatistics>& statistics) const {
    statistics.assign(legal.size(), RootStatistics{});
    const std::vector<InformationSetNode>& tree = nodes();
    for (std::int32_t c = tree[0].first_child; c >= 0;
         c = tree[c].next_sibling) {
      const auto at = std::find(legal.begin(), legal.end(), tree[c].action);
      if (at == legal.end()) {
        throw std::logic_error(
            "a determinisation changed the searching player's legal actions");
      }
      statistics[at - legal.begin()].visits += tree[c].visits;
      statistics[at - legal.begin()].reward += tree[c].reward;
    }
  }

 private:
  std::vector<InformationSetNode>& nodes() { return buffers_.set_nodes; }
  const std::vector<InformationSetNode>& nodes() const {
    return buffers_.set_nodes;
  }

  // Selection down the nodes whose actions are legal in `state`, expansion
  // of one action not tried yet, a rollout and backpropagation.
  void iterate(State& state) {
    std::vector<Action>& actions = buffers_.actions;
    std::vector<std::int32_t>& path = buffers_.path;
    path.clear();
    path.push_back(0);
    std::int32_t node = 0;
    while (!state.is_terminal()) {
      state.legal_actions(actions);
      if (actions.empty()) {
        throw std::logic_error("no legal actions in a non-terminal state");
      }
      const std::int32_t next = step(node, actions, state.current_player());
      state.apply_action(nodes()[next].action);
      path.push_back(next);
      node = next;
      // A node added this iteration is scored by a rollout.
      if (nodes()[node].visits == 0) break;
    }
    rollout(options_, state, actions, buffers_.rewards, rng_);
    for (std::int32_t on_path : path) {
      InformationSetNode& visited = nodes()[on_path];
      ++visited.visits;
      if (visited.mover >= 0) visited.reward += buffers_.rewards[visited.mover];
    }
  }

  // The child of `node` to follow when `legal` are `mover`'s actions: a new
  // child for a uniformly random legal action not tried yet, else the
  // available child of highest UCB1. Counts every available child's
  // availability.
  std::int32_t step(std::int32_t node, const std::vector<Action>& legal,
                    int mover) {
    std::vector<char>& has_child = buffers_.has_child;
    has_child.assign(legal.size(), 0);
    std::int32_t best = -1;
    double best_value = -std::numeric_limits<double>::infinity();
    for (std::int32_t c = nodes()[node].first_child; c >= 0;
         c = nodes()[c].next_sibling) {
      InformationSetNode& child = nodes()[c];
      if (child.mover != mover) continue;
      const auto at = std::find(legal.begin(), legal.end(), child.action);
      if (at == legal.end()) continue;
      has_child[at - legal.begin()] = 1;
      ++child.availability;
      const double visits = child.visits;
      const double value =
          child.reward / visits +
          options_.exploration *
              std::sqrt(std::log(static_cast<double>(child.availability)) /
                        visits);
      if (value > best_value) {
        best_value = value;
        best = c;
      }
    }
    const auto untried = static_cast<std::uint32_t>(
        std::count(has_child.begin(), has_child.end(), 0));
    if (untried == 0) return best;
    std::uint32_t pick = rng_.uniform(untried);
    std::size_t a = 0;
    for (;; ++a) {
      if (has_child[a] == 0 && pick-- == 0) break;
    }
    const auto added = static_cast<std::int32_t>(nodes().size());
    nodes().push_back(InformationSetNode{
        .action = legal[a],
        .mover = mover,
        .next_sibling = nodes()[node].first_child,
        .availability = 1,
    });
    nodes()[node].first_child = added;
    return added;
  }

  const MctsOptions& options_;
  SearchBuffers& buffers_;
  Rng rng_;
};

// Searches one tree of `iterations` (within `deadline`) from `state` with
// `seed` and returns
// `finish(search)`: information-set MCTS when the state hides information
// and the options do not see through it, else MCTS on clones of the state.
template <typename Finish>
auto search_tree(const MctsOptions& options, SearchBuffers& buffers,
                 const State& state, absl::Span<const Action> legal,
                 int iterations, std::uint64_t seed, const Deadline& deadline,
                 Finish&& finish) {
  if (!options.see_hidden_information) {
    InformationSetSearch search(options, buffers, seed);
    if (search.run(state, iterations, deadline)) return finish(search);
  }
  Search search(options, buffers.nodes, buffers.path, buffers.actions,
                buffers.rewards, seed);
  search.run(state, legal, iterations, deadline);
  return finish(search);
}

}  // namespace

absl::StatusOr<std::unique_ptr<MctsPolicy>> MctsPolicy::create(
    const MctsOptions& options) {
  if (options.iterations < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "MCTS needs at least 1 iteration, not ", options.iterations));
  }
  if (!std::isfinite(options.exploration) || options.exploration < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("the MCTS exploration constant must be finite and >= 0, "
                     "not ",
                     options.exploration));
  }
  if (options.time_per_move < absl::ZeroDuration() ||
      options.time_per_move == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the MCTS time per move must be finite and >= 0, not ",
                     absl::FormatDuration(options.time_per_move)));
  }
  if (options.rollout_depth < 0 || options.max_rollout_actions < 1) {
    return absl::InvalidArgumentError(
        "the MCTS rollout depth must be >= 0 and max_rollout_actions >= 1");
  }
  if (options.search_threads < 1 ||
      options.search_threads > options.iterations) {
    return absl::InvalidArgumentError(
        absl::StrCat("MCTS search threads must be 1..iterations (",
                     options.iterations, "), not ", options.search_threads));
  }
  if ((options.rollout_depth > 0 || options.evaluate_leaves) &&
      options.evaluator == nullptr) {
    return absl::InvalidArgumentError(
        "an MCTS rollout cut-off needs an evaluator to score where it stops");
  }
  if (options.evaluate_leaves && options.rollout_depth > 0) {
    return absl::InvalidArgumentError(
        "MCTS evaluates its leaves without rollouts or rolls out, not both");
  }
  return std::unique_ptr<MctsPolicy>(new MctsPolicy(options));
}

MctsPolicy::MctsPolicy(const MctsOptions& options)
    : options_(options), arenas_(std::make_unique<SearchArena>()) {}

MctsPolicy::~MctsPolicy() = default;

std::string mcts_budget_name(int iterations, absl::Duration time_per_move) {
  return time_per_move > absl::ZeroDuration()
             ? absl::FormatDuration(time_per_move)
             : absl::StrCat(iterations);
}

std::string MctsPolicy::name() const {
  std::string name = absl::StrCat(
      options_.see_hidden_information ? "mcts-cheat:" : "mcts:",
      mcts_budget_name(options_.iterations, options_.time_per_move));
  if (options_.rollout_depth > 0) {
    absl::StrAppend(&name, ",depth:", options_.rollout_depth);
  }
  if (options_.evaluate_leaves) absl::StrAppend(&name, ",leaves");
  if (options_.decisive_moves) absl::StrAppend(&name, ",decisive");
  if (options_.search_threads > 1) {
    absl::StrAppend(&name, "/", options_.search_threads);
  }
  return name;
}

Action MctsPolicy::choose_action(const State& state,
                                 absl::Span<const Action> legal,
                                 Rng& rng) const {
  const std::uint64_t seed = rng.next();
  if (legal.size() == 1) return legal[0];
  const absl::Duration end = Deadline::end_for(options_);
  if (options_.search_threads > 1) {
    return search_trees(state, legal, seed, end);
  }
  return search_tree(
      options_, arenas_->per_thread.local(), state, legal, options_.iterations,
      seed, Deadline(options_, end),
      [](const auto& search) { return search.best_root_action(); });
}

Action MctsPolicy::search_trees(const State& state,
                                absl::Span<const Action> legal,
                                std::uint64_t seed, absl::Duration end) const {
  const Deadline deadline(options_, end);
  const int trees = options_.search_threads;
  std::vector<std::vector<RootStatistics>> per_tree(trees);
  // The caller, a game task, holds its thread's game state while it waits
  // here: isolation keeps the thread from stealing another game task, which
  // would take that same thread-local state, meanwhile.
  tbb::this_task_arena::isolate([&] {
    tbb::parallel_for(0, trees, [&](int tree) {
      search_tree(options_, arenas_->per_thread.local(), state, legal,
                  options_.iterations / trees +
                      (tree < options_.iterations % trees ? 1 : 0),
                  derive_seed(seed, tree), deadline, [&](const auto& search) {
                    search.root_statistics(legal, per_tree[tree]);
                  });
    });
  });
  // Summed in tree order: the same sums whichever threads ran the trees.
  std::vector<RootStatistics> total(legal.size());
  for (const std::vector<RootStatistics>& tree : per_tree) {
    for (std::size_t a = 0; a < total.size(); ++a) {
      total[a].visits += tree[a].visits;
      total[a].reward += tree[a].reward;
    }
  }
  std::size_t best = 0;
  for (std::size_t a = 1; a < total.size(); ++a) {
    if (total[a].visits > total[best].visits ||
        (total[a].visits == total[best].visits &&
         total[a].reward > total[best].reward)) {
      best = a;
    }
  }
  return legal[best];
}

}  // namespace selfplay
