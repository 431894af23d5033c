// Game-clustered statistics from a run: calibrated where the decision-level
// test is not (a badge drawn once per game and kept all game), powerful
// where there is a real effect, and equal to an independent per-game
// recomputation from the run's records.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "selfplay/records.h"
#include "selfplay/registry.h"
#include "selfplay/simulation.h"
#include "selfplay/statistics.h"
#include "simulation_runner.h"

namespace selfplay {
namespace {

using testing::run;

// A race to kGoal: players alternate moving 1 ("one") or 2 ("two") steps,
// the first to reach the goal wins. Each player holds a badge with
// probability 1/2, drawn from the seed at the start and kept all game; with
// a head start, a badge holder starts that many steps ahead.
class BadgeRaceState final : public State {
 public:
  static constexpr int kGoal = 12;

  BadgeRaceState(std::uint64_t seed, int head_start) {
    Rng rng(seed);
    for (int p = 0; p < 2; ++p) {
      badge_[p] = rng.uniform(2) == 1;
      position_[p] = badge_[p] ? head_start : 0;
    }
  }

  int num_players() const override { return 2; }
  int current_player() const override { return mover_; }
  bool is_terminal() const override { return winner_ >= 0; }
  void legal_actions(std::vector<Action>& actions) const override {
    actions.assign({1, 2});
  }
  void apply_action(Action action) override {
    position_[mover_] += static_cast<int>(action);
    if (position_[mover_] >= kGoal) winner_ = mover_;
    mover_ = 1 - mover_;
  }
  std::vector<int> winners() const override { return {winner_}; }
  ActionKind action_kind(Action action) const override {
    return static_cast<ActionKind>(action - 1);
  }
  // The badges are part of the position: the feature cache keys on it.
  std::uint64_t hash() const override {
    return splitmix64_mix(static_cast<std::uint64_t>(
        position_[0] | position_[1] << 8 | mover_ << 16 | badge_[0] << 17 |
        badge_[1] << 18));
  }
  std::unique_ptr<State> clone() const override {
    return std::make_unique<BadgeRaceState>(*this);
  }
  std::string to_string() const override {
    return std::to_string(position_[0]) + ":" + std::to_string(position_[1]);
  }
  void elements(std::vector<Element>& elements) const override {
    elements.clear();
  }
  bool badge(int player) const { return badge_[player]; }

 private:
  bool badge_[2] = {false, false};
  int position_[2] = {0, 0};
  int mover_ = 0;
  int winner_ = -1;
};

class BadgeRaceGame final : public Game {
 public:
  explicit BadgeRaceGame(int head_start) : head_start_(head_start) {
    structure_.name = "badge-race";
    structure_.type = GameType::kRacing;
    structure_.action_kinds = {"one", "two"};
    structure_.deterministic = false;
  }
  const GameStructure& structure() const override { return structure_; }
  std::unique_ptr<State> new_initial_state(std::uint64_t seed,
                                           int) const override {
    return std::make_unique<BadgeRaceState>(seed, head_start_);
  }

 private:
  GameStructure structure_;
  int head_start_;
};

FeatureSet badge_feature() {
  FeatureSet features;
  EXPECT_TRUE(features
                  .add({"badge", "the deciding player holds a badge", ""},
                       [](const State& state, int player) {
                         return static_cast<const BadgeRaceState&>(state).badge(
                             player);
                       })
                  .ok());
  return features;
}

struct RejectionRates {
  double clustered = 0;  // share of runs with p_value < 0.05
  double decisions = 0;  // the same for p_value_decisions
};

// `runs` runs of `games` games each, seeds 1..runs.
RejectionRates badge_rejections(int head_start, int runs, int games) {
  const BadgeRaceGame game(head_start);
  const FeatureSet features = badge_feature();
  int clustered = 0, decisions = 0;
  for (int seed = 1; seed <= runs; ++seed) {
    SimulationOptions options;
    options.games = games;
    options.seed = seed;
    options.threads = 1;
    options.batch_size = 64;
    const FeatureStatistics badge =
        feature_statistics(run(game, features, options))[0];
    clustered += badge.p_value < 0.05;
    decisions += badge.p_value_decisions < 0.05;
  }
  return {static_cast<double>(clustered) / runs,
          static_cast<double>(decisions) / runs};
}

TEST(ClusteredStatistics,
     ABadgeUnrelatedToTheOutcomeIsRejectedAtTheNominalRate) {
  // 1000 runs, so that the rate (4.9% with these seeds) is known to about
  // +-0.7%.
  const RejectionRates rates = badge_rejections(/*head_start=*/0, 1000, 200);
  EXPECT_GE(rates.clustered, 0.02);
  EXPECT_LE(rates.clustered, 0.09);
  // The decisions of a game share its outcome: counted as independent, they
  // make the same badge "significant" far more often.
  EXPECT_GE(rates.decisions, 0.25);
  EXPECT_GE(rates.decisions, 4 * rates.clustered);
}

TEST(ClusteredStatistics, ABadgeThatGivesAHeadStartIsDetected) {
  // One step of twelve: detected in 95% of runs with these seeds.
  const RejectionRates rates = badge_rejections(/*head_start=*/1, 400, 200);
  EXPECT_GE(rates.clustered, 0.80);
}

// Keeps every record of a run.
class CollectingSink final : public GameRecordSink {
 public:
  absl::Status write(const GameRecord& record) override {
    records.push_back(record);
    return absl::OkStatus();
  }
  std::vector<GameRecord> records;
};

// One game's decisions where a row held (n1) and did not (n0), and the
// deciders' outcomes over each in games won (a draw or shared win: 1/2).
struct GameRow {
  double n1 = 0, n0 = 0, won1 = 0, won0 = 0;
};

// The clustered comparison written out from its definition: the ratio
// estimators' residuals per game, the sandwich variance with G / (G - 1).
struct Recomputed {
  double difference, low, high, p_value;
  std::uint64_t games_true;
};

Recomputed recompute(const std::vector<GameRow>& rows) {
  double n1 = 0, n0 = 0, won1 = 0, won0 = 0;
  std::uint64_t games = 0, games_true = 0;
  for (const GameRow& g : rows) {
    n1 += g.n1;
    n0 += g.n0;
    won1 += g.won1;
    won0 += g.won0;
    games += g.n1 + g.n0 > 0;
    games_true += g.n1 > 0;
  }
  const double p1 = won1 / n1, p0 = won0 / n0;
  double v11 = 0, v00 = 0, v10 = 0;
  for (const GameRow& g : rows) {
    const double u1 = (g.won1 - p1 * g.n1) / n1;
    const double u0 = (g.won0 - p0 * g.n0) / n0;
    v11 += u1 * u1;
    v00 += u0 * u0;
    v10 += u1 * u0;
  }
  const double c = static_cast<double>(games) / (games - 1);
  const double se = std::sqrt(c * (v11 + v00 - 2 * v10));
  const double d = p1 - p0;
  return {d, d - 1.959963984540054 * se, d + 1.959963984540054 * se,
          std::erfc(std::abs(d / se) / std::sqrt(2.0)), games_true};
}

// A player's outcome in games won: 1 alone, 1/2 for a draw (no winners) or
// a shared win, 0 otherwise.
double won(const std::vector<int>& winners, int player) {
  if (winners.empty()) return 0.5;
  for (int w : winners) {
    if (w == player) return winners.size() == 1 ? 1.0 : 0.5;
  }
  return 0.0;
}

void expect_close(double actual, double expected, const std::string& what) {
  EXPECT_NEAR(actual, expected, 1e-9 * std::max(1.0, std::abs(expected)))
      << what;
}

// Plays `game` with `features`, keeping the records, and checks
// every non-constant feature's and action kind's clustered figures against a
// recomputation from the records; returns the action kinds compared.
int expect_equal_to_recomputation(const Game& game, const FeatureSet& features,
                                  int players, int max_actions) {
  CollectingSink sink;
  SimulationOptions options;
  options.games = 400;
  options.seed = 21;
  options.players = players;
  options.max_actions = max_actions;
  options.threads = 2;
  options.records = &sink;
  const SimulationResult result = run(game, features, options);
  const int kinds = static_cast<int>(result.action_kinds.size());

  // rows[i][g]: feature i (then action kind i - features) in completed game g.
  std::vector<std::vector<GameRow>> rows(features.size() + kinds);
  for (const GameRecord& record : sink.records) {
    if (record.status != GameStatus::kCompleted) continue;
    for (auto& row : rows) row.emplace_back();
    for (std::size_t d = 0; d < record.decisions.size(); ++d) {
      const RecordedDecision& decision = record.decisions[d];
      const double outcome = won(record.winners, decision.player);
      auto add = [outcome](GameRow& g, bool held) {
        (held ? g.n1 : g.n0) += 1;
        (held ? g.won1 : g.won0) += outcome;
      };
      for (int f = 0; f < features.size(); ++f) {
        const std::uint64_t word =
            record.feature_bits[d * record.feature_words + f / 64];
        add(rows[f].back(), (word >> (f % 64)) & 1);
      }
      for (int k = 0; k < kinds; ++k) {
        if ((decision.available_kinds >> k) & 1) {
          add(rows[features.size() + k].back(), decision.taken == k);
        }
      }
    }
  }

  int compared = 0;
  const std::vector<FeatureStatistics> stats = feature_statistics(result);
  for (int f = 0; f < features.size(); ++f) {
    const FeatureStatistics& s = stats[f];
    if (s.constant) continue;
    const Recomputed r = recompute(rows[f]);
    expect_close(s.win_rate_difference, r.difference, s.info.id);
    expect_close(s.ci_low, r.low, s.info.id);
    expect_close(s.ci_high, r.high, s.info.id);
    expect_close(s.p_value, r.p_value, s.info.id);
    EXPECT_EQ(s.games_true, r.games_true) << s.info.id;
    ++compared;
  }
  EXPECT_GE(compared, std::min(features.size(), 10));
  const std::vector<ActionStatistics> actions = action_statistics(result);
  EXPECT_EQ(actions.size(), static_cast<std::size_t>(kinds));
  int compared_kinds = 0;
  for (std::size_t k = 0; k < actions.size(); ++k) {
    const ActionStatistics& a = actions[k];
    if (a.constant) continue;
    ++compared_kinds;
    const Recomputed r = recompute(rows[features.size() + k]);
    expect_close(a.win_rate_difference, r.difference, a.kind);
    expect_close(a.ci_low, r.low, a.kind);
    expect_close(a.ci_high, r.high, a.kind);
    expect_close(a.p_value, r.p_value, a.kind);
    EXPECT_EQ(a.games_taken, r.games_true) << a.kind;
  }
  return compared_kinds;
}

FeatureSet candidate_features(const Game& game) {
  return *generate_candidate_features(game.structure());
}

// Three seats: shared wins, truncated games; one action kind, always taken.
TEST(ClusteredStatistics, EqualAPerGameRecomputationFromRecordsForGoFish) {
  const GameRegistry registry = GameRegistry::with_bundled_games();
  const Game& game = **registry.find("go-fish");
  EXPECT_EQ(
      expect_equal_to_recomputation(game, candidate_features(game), 3, 80), 0);
}

// Draws; mandatory capture leaves no kind ever passed over.
TEST(ClusteredStatistics, EqualAPerGameRecomputationFromRecordsForCheckers) {
  const GameRegistry registry = GameRegistry::with_bundled_games();
  const Game& game = **registry.find("checkers");
  EXPECT_EQ(
      expect_equal_to_recomputation(game, candidate_features(game), 2, 2000),
      0);
}

// Two action kinds, each taken or passed over at every decision.
TEST(ClusteredStatistics, EqualAPerGameRecomputationForActionKinds) {
  const BadgeRaceGame game(/*head_start=*/1);
  EXPECT_EQ(expect_equal_to_recomputation(game, badge_feature(), 2, 2000), 2);
}

}  // namespace
}  // namespace selfplay
