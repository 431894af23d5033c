// The joint logistic model: on a planted game it gives a noisy copy of the
// deciding feature a coefficient near 0 where phi scores both; it is the
// same at 1 and 2 threads; its optimum and clustered standard errors match a
// direct recomputation written here (per decision, a Gauss-Jordan inverse),
// and a one-feature fit matches the closed form; bad input is refused.
#include "selfplay/logistic_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "selfplay/features.h"
#include "selfplay/random.h"
#include "selfplay/simulation.h"
#include "selfplay/statistics.h"

namespace selfplay {
namespace {

// Two players; the seed decides everything at the start. Exactly one player
// holds A, and wins with probability 4/5. Each player's B is their A,
// flipped with probability 1/5 (drawn per game and player): B carries no
// information about the outcome that A does not. Ten decisions per game.
class PlantedState final : public State {
 public:
  explicit PlantedState(std::uint64_t seed) {
    Rng rng(seed);
    a_holder_ = static_cast<int>(rng.uniform(2));
    winner_ = rng.uniform(5) < 4 ? a_holder_ : 1 - a_holder_;
    for (int p = 0; p < 2; ++p) {
      b_[p] = (p == a_holder_) != (rng.uniform(5) == 0);
    }
  }
  int num_players() const override { return 2; }
  int current_player() const override { return moves_ % 2; }
  bool is_terminal() const override { return moves_ == 10; }
  void legal_actions(std::vector<Action>& actions) const override {
    actions.assign({0});
  }
  void apply_action(Action) override { ++moves_; }
  std::vector<int> winners() const override { return {winner_}; }
  ActionKind action_kind(Action) const override { return 0; }
  // Everything that differs between positions: the run's feature cache is
  // keyed by it.
  std::uint64_t hash() const override {
    return splitmix64_mix(
        moves_ + 16 * (a_holder_ + 2 * winner_ + 4 * b_[0] + 8 * b_[1]));
  }
  std::unique_ptr<State> clone() const override {
    return std::make_unique<PlantedState>(*this);
  }
  std::string to_string() const override { return "planted"; }
  void elements(std::vector<Element>& elements) const override {
    elements.clear();
  }
  bool holds_a(int player) const { return player == a_holder_; }
  bool holds_b(int player) const { return b_[player]; }

 private:
  int a_holder_ = 0;
  int winner_ = 0;
  bool b_[2] = {false, false};
  int moves_ = 0;
};

class PlantedGame final : public Game {
 public:
  PlantedGame() {
    structure_.name = "planted";
    structure_.action_kinds = {"step"};
  }
  const GameStructure& structure() const override { return structure_; }
  std::unique_ptr<State> new_initial_state(std::uint64_t seed,
                                           int) const override {
    return std::make_unique<PlantedState>(seed);
  }

 private:
  GameStructure structure_;
};

FeatureSet planted_features() {
  FeatureSet features;
  EXPECT_TRUE(features
                  .add({"a", "holds A", "custom"},
                       [](const State& state, int player) {
                         return static_cast<const PlantedState&>(state).holds_a(
                             player);
                       })
                  .ok());
  EXPECT_TRUE(features
                  .add({"b", "holds B, a noisy copy of A", "custom"},
                       [](const State& state, int player) {
                         return static_cast<const PlantedState&>(state).holds_b(
                             player);
                       })
                  .ok());
  return features;
}

struct PlantedRun {
  SimulationResult result;
  LogisticFit fit;
};

PlantedRun run_planted(int threads) {
  PlantedGame game;
  FeatureSet features = planted_features();
  LogisticData data(features.size());
  SimulationOptions options;
  options.games = 3000;
  options.threads = threads;
  options.seed = 7;
  options.records = &data;
  absl::StatusOr<SimulationResult> result =
      run_simulations(game, features, options);
  EXPECT_TRUE(result.ok()) << result.status();
  absl::StatusOr<LogisticFit> fit = fit_logistic(
      features.size(), [&](GameVisitor visit) { return data.replay(visit); });
  EXPECT_TRUE(fit.ok()) << fit.status();
  if (!result.ok() || !fit.ok()) return {};
  return {*std::move(result), *std::move(fit)};
}

TEST(LogisticModelTest,
     ANoisyCopyOfTheDecidingFeatureGetsNoWeightWherePhiGivesItMuch) {
  const PlantedRun run = run_planted(2);
  ASSERT_EQ(run.fit.features.size(), 2u);
  const std::vector<FeatureStatistics> phi = feature_statistics(run.result);
  // Phi scores both: B's correlation with winning is 0.6 x A's, about 0.36.
  EXPECT_GT(phi[0].phi, 0.5);
  EXPECT_GT(phi[1].phi, 0.25);
  EXPECT_GT(correlation_to_weight(phi[1].phi), 2.5);
  // The joint model: A's log-odds are log(4) - log(1/4) = 2.77 apart; B,
  // given A, says nothing.
  const LogisticCoefficient& a = run.fit.features[0];
  const LogisticCoefficient& b = run.fit.features[1];
  EXPECT_NEAR(a.coefficient, std::log(16.0), 0.3);
  EXPECT_LT(a.p_value, 1e-10);
  EXPECT_LT(std::abs(b.coefficient), 0.25);
  EXPECT_LT(std::abs(b.z), 4);
  EXPECT_EQ(run.fit.games, 3000u);
  EXPECT_EQ(run.fit.decisions, 30000u);
  EXPECT_EQ(run.fit.excluded_games, 0u);
}

TEST(LogisticModelTest, TheFitIsBitIdenticalAtOneAndTwoThreads) {
  const PlantedRun one = run_planted(1);
  const PlantedRun two = run_planted(2);
  ASSERT_EQ(one.fit.features.size(), two.fit.features.size());
  EXPECT_EQ(one.fit.intercept.coefficient, two.fit.intercept.coefficient);
  EXPECT_EQ(one.fit.intercept.standard_error, two.fit.intercept.standard_error);
  for (std::size_t f = 0; f < one.fit.features.size(); ++f) {
    EXPECT_EQ(one.fit.features[f].coefficient, two.fit.features[f].coefficient);
    EXPECT_EQ(one.fit.features[f].standard_error,
              two.fit.features[f].standard_error);
  }
  EXPECT_EQ(one.fit.log_likelihood, two.fit.log_likelihood);
}

// A small data set of random games: 3 features (one rarely true), two or
// three players, draws and shared wins, and truncated and failed games that
// the fit must leave out.
std::vector<GameRecord> random_games(std::uint64_t seed, int games) {
  Rng rng(seed);
  std::vector<GameRecord> records;
  for (int g = 0; g < games; ++g) {
    GameRecord record;
    record.game_index = g;
    record.feature_words = 1;
    const std::uint32_t kind = rng.uniform(10);
    record.status = kind == 0   ? GameStatus::kTruncated
                    : kind == 1 ? GameStatus::kFailed
                                : GameStatus::kCompleted;
    const std::uint32_t outcome = rng.uniform(6);
    record.winners = outcome < 2   ? std::vector<int>{0}
                     : outcome < 4 ? std::vector<int>{1}
                     : outcome < 5 ? std::vector<int>{}
                                   : std::vector<int>{0, 2};
    if (record.status == GameStatus::kFailed) record.winners.clear();
    const int decisions =
        record.status == GameStatus::kFailed ? 0 : 1 + rng.uniform(8);
    for (int d = 0; d < decisions; ++d) {
      const int player = static_cast<int>(rng.uniform(3));
      record.decisions.push_back({.player = player});
      // Feature 0 leans towards the winners, 1 is noise, 2 is rare.
      const bool winning =
          std::find(record.winners.begin(), record.winners.end(), player) !=
          record.winners.end();
      std::uint64_t bits = 0;
      if (rng.uniform(10) < (winning ? 7u : 3u)) bits |= 1;
      if (rng.uniform(2) == 0) bits |= 2;
      if (rng.uniform(20) == 0) bits |= 4;
      record.feature_bits.push_back(bits);
    }
    records.push_back(std::move(record));
  }
  return records;
}

GameReplay replay_of(const std::vector<GameRecord>& records) {
  return [&records](GameVisitor visit) {
    for (const GameRecord& record : records) {
      if (absl::Status status = visit(record); !status.ok()) return status;
    }
    return absl::OkStatus();
  };
}

// The deciding player's outcome, from the winners, written out again here.
double outcome(const GameRecord& record, int player) {
  if (record.winners.empty()) return 0.5;
  const bool won = std::find(record.winners.begin(), record.winners.end(),
                             player) != record.winners.end();
  return won ? (record.winners.size() == 1 ? 1.0 : 0.5) : 0.0;
}

// x for one decision: 1 (intercept), then the feature bits.
std::vector<double> regressors(std::uint64_t bits, int features) {
  std::vector<double> x(features + 1, 0.0);
  x[0] = 1;
  for (int f = 0; f < features; ++f) x[f + 1] = (bits >> f) & 1;
  return x;
}

std::vector<double> parameters(const LogisticFit& fit) {
  std::vector<double> beta = {fit.intercept.coefficient};
  for (const LogisticCoefficient& c : fit.features) {
    beta.push_back(c.coefficient);
  }
  return beta;
}

// The inverse of a small matrix by Gauss-Jordan elimination with pivoting.
std::vector<std::vector<double>> inverse(std::vector<std::vector<double>> a) {
  const std::size_t n = a.size();
  std::vector<std::vector<double>> inv(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i) inv[i][i] = 1;
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < n; ++r) {
      if (std::abs(a[r][c]) > std::abs(a[pivot][c])) pivot = r;
    }
    std::swap(a[c], a[pivot]);
    std::swap(inv[c], inv[pivot]);
    const double scale = a[c][c];
    for (std::size_t k = 0; k < n; ++k) {
      a[c][k] /= scale;
      inv[c][k] /= scale;
    }
    for (std::size_t r = 0; r < n; ++r) {
      if (r == c) continue;
      const double factor = a[r][c];
      for (std::size_t k = 0; k < n; ++k) {
        a[r][k] -= factor * a[c][k];
        inv[r][k] -= factor * inv[c][k];
      }
    }
  }
  return inv;
}

TEST(LogisticModelTest, TheOptimumAndClusteredErrorsMatchADirectRecomputation) {
  const std::vector<GameRecord> records = random_games(11, 400);
  constexpr int kFeatures = 3;
  constexpr double kL2 = 0.7;
  absl::StatusOr<LogisticFit> fit =
      fit_logistic(kFeatures, replay_of(records), {.l2 = kL2});
  ASSERT_TRUE(fit.ok()) << fit.status();
  const std::vector<double> beta = parameters(*fit);

  // Per decision: the penalised gradient, minus the Hessian, and per game
  // the score.
  const int n = kFeatures + 1;
  std::vector<double> gradient(n, 0.0);
  std::vector<std::vector<double>> hessian(n, std::vector<double>(n, 0.0));
  std::vector<std::vector<double>> meat(n, std::vector<double>(n, 0.0));
  std::uint64_t games = 0, decisions = 0, excluded = 0;
  for (const GameRecord& record : records) {
    if (record.status != GameStatus::kCompleted) {
      ++excluded;
      continue;
    }
    ++games;
    std::vector<double> score(n, 0.0);
    for (std::size_t d = 0; d < record.decisions.size(); ++d) {
      ++decisions;
      const std::vector<double> x =
          regressors(record.feature_bits[d], kFeatures);
      double eta = 0;
      for (int j = 0; j < n; ++j) eta += beta[j] * x[j];
      const double mu = 1 / (1 + std::exp(-eta));
      const double y = outcome(record, record.decisions[d].player);
      for (int j = 0; j < n; ++j) {
        gradient[j] += (y - mu) * x[j];
        score[j] += (y - mu) * x[j];
        for (int k = 0; k < n; ++k)
          hessian[j][k] += mu * (1 - mu) * x[j] * x[k];
      }
    }
    for (int j = 0; j < n; ++j) {
      for (int k = 0; k < n; ++k) meat[j][k] += score[j] * score[k];
    }
  }
  for (int j = 1; j < n; ++j) {
    gradient[j] -= kL2 * beta[j];
    hessian[j][j] += kL2;
  }
  EXPECT_EQ(fit->games, games);
  EXPECT_EQ(fit->decisions, decisions);
  EXPECT_EQ(fit->excluded_games, excluded);
  EXPECT_GT(excluded, 0u);
  for (int j = 0; j < n; ++j) EXPECT_NEAR(gradient[j], 0, 1e-8) << j;

  const std::vector<std::vector<double>> bread = inverse(hessian);
  const double correction = games / (games - 1.0);
  for (int j = 0; j < n; ++j) {
    double variance = 0;
    for (int a = 0; a < n; ++a) {
      for (int b = 0; b < n; ++b)
        variance += bread[j][a] * meat[a][b] * bread[b][j];
    }
    const double se = std::sqrt(correction * variance);
    const LogisticCoefficient& c =
        j == 0 ? fit->intercept : fit->features[j - 1];
    EXPECT_NEAR(c.standard_error, se, 1e-9 * se) << j;
    EXPECT_NEAR(c.z, beta[j] / se, 1e-6) << j;
    EXPECT_NEAR(c.p_value, std::erfc(std::abs(beta[j] / se) / std::sqrt(2.0)),
                1e-9)
        << j;
  }
}

TEST(LogisticModelTest, OneFeatureWithoutPenaltyGivesTheLogOddsOfItsTwoGroups) {
  // Keep only feature 0: without a penalty the optimum is the logit of the
  // mean outcome when it is false, and the difference of the two logits.
  std::vector<GameRecord> records = random_games(5, 300);
  double sum[2] = {0, 0}, count[2] = {0, 0};
  for (GameRecord& record : records) {
    for (std::size_t d = 0; d < record.decisions.size(); ++d) {
      record.feature_bits[d] &= 1;
      if (record.status != GameStatus::kCompleted) continue;
      const int held = static_cast<int>(record.feature_bits[d]);
      sum[held] += outcome(record, record.decisions[d].player);
      count[held] += 1;
    }
  }
  absl::StatusOr<LogisticFit> fit =
      fit_logistic(1, replay_of(records), {.l2 = 0});
  ASSERT_TRUE(fit.ok()) << fit.status();
  auto logit = [](double p) { return std::log(p / (1 - p)); };
  const double false_logit = logit(sum[0] / count[0]);
  const double true_logit = logit(sum[1] / count[1]);
  EXPECT_NEAR(fit->intercept.coefficient, false_logit, 1e-9);
  EXPECT_NEAR(fit->features[0].coefficient, true_logit - false_logit, 1e-9);
  EXPECT_EQ(fit->features[0].decisions_true,
            static_cast<std::uint64_t>(count[1]));
}

TEST(LogisticModelTest, ConstantFeaturesNeedAPenaltyAndGetNoWeightWithOne) {
  std::vector<GameRecord> records = random_games(3, 100);
  for (GameRecord& record : records) {
    for (std::uint64_t& bits : record.feature_bits)
      bits = 1;  // 0 always, 1 never
  }
  absl::StatusOr<LogisticFit> singular =
      fit_logistic(2, replay_of(records), {.l2 = 0});
  EXPECT_EQ(singular.status().code(), absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<LogisticFit> fit = fit_logistic(2, replay_of(records));
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_EQ(fit->features[1].coefficient, 0);
  EXPECT_EQ(fit->features[1].standard_error, 0);
  EXPECT_EQ(fit->features[1].p_value, 1);
  EXPECT_EQ(fit->features[1].decisions_true, 0u);
  EXPECT_EQ(fit->features[0].decisions_true, fit->decisions);
}

TEST(LogisticModelTest, BadInputIsRefused) {
  const std::vector<GameRecord> records = random_games(3, 50);
  EXPECT_EQ(fit_logistic(3, replay_of(records), {.l2 = -1}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(fit_logistic(3, replay_of(records), {.l2 = NAN}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(fit_logistic(3, replay_of(records), {.max_iterations = 0})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  // Bits set beyond the 2 features the fit is told of.
  EXPECT_EQ(fit_logistic(2, replay_of(records)).status().code(),
            absl::StatusCode::kInvalidArgument);
  const std::vector<GameRecord> none;
  EXPECT_EQ(fit_logistic(3, replay_of(none)).status().code(),
            absl::StatusCode::kInvalidArgument);
  // The replay's own error comes back.
  absl::StatusOr<LogisticFit> failed = fit_logistic(
      3, [](GameVisitor) { return absl::DataLossError("corrupt at byte 9"); });
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kDataLoss);
}

TEST(LogisticModelTest,
     DataReplaysWhatWasWrittenLessTheDecisionsOfGamesLeftOut) {
  const std::vector<GameRecord> records = random_games(9, 60);
  LogisticData data(3);
  for (const GameRecord& record : records) ASSERT_TRUE(data.write(record).ok());
  EXPECT_EQ(data.games(), records.size());
  std::size_t g = 0;
  ASSERT_TRUE(data.replay([&](const GameRecord& replayed) {
                    const GameRecord& original = records[g++];
                    EXPECT_EQ(replayed.game_index, original.game_index);
                    EXPECT_EQ(replayed.status, original.status);
                    if (original.status == GameStatus::kCompleted) {
                      EXPECT_EQ(replayed.winners, original.winners);
                      EXPECT_EQ(replayed.decisions, original.decisions);
                      EXPECT_EQ(replayed.feature_bits, original.feature_bits);
                    } else {
                      EXPECT_TRUE(replayed.decisions.empty());
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(g, records.size());
  GameRecord wrong = records[2];
  wrong.status = GameStatus::kCompleted;
  wrong.decisions = {{.player = 0}};
  wrong.feature_words = 2;
  wrong.feature_bits = {0, 0};
  EXPECT_EQ(data.write(wrong).code(), absl::StatusCode::kInvalidArgument);
}

// Every game as replay() gives it, for comparing two LogisticData.
std::vector<GameRecord> replayed(const LogisticData& data) {
  std::vector<GameRecord> games;
  EXPECT_TRUE(data.replay([&](const GameRecord& record) {
                    games.push_back(record);
                    return absl::OkStatus();
                  })
                  .ok());
  return games;
}

TEST(LogisticModelTest, DataReadBackFromItsBytesReplaysTheSameGames) {
  const std::vector<GameRecord> records = random_games(11, 40);
  LogisticData data(3);
  for (const GameRecord& record : records) ASSERT_TRUE(data.write(record).ok());
  const std::string bytes = data.serialize();
  absl::StatusOr<LogisticData> back = LogisticData::parse(bytes, 3);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->games(), data.games());
  EXPECT_EQ(replayed(*back), replayed(data));
  EXPECT_EQ(back->serialize(), bytes);
  // Empty data too.
  absl::StatusOr<LogisticData> empty =
      LogisticData::parse(LogisticData(3).serialize(), 3);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->games(), 0u);
}

TEST(LogisticModelTest, DataBytesThatDoNotHoldAreRefusedNeverReplayed) {
  const std::vector<GameRecord> records = random_games(12, 20);
  LogisticData data(3);
  for (const GameRecord& record : records) ASSERT_TRUE(data.write(record).ok());
  const std::string bytes = data.serialize();
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    EXPECT_EQ(LogisticData::parse(bytes.substr(0, length), 3).status().code(),
              absl::StatusCode::kDataLoss)
        << length;
  }
  EXPECT_FALSE(LogisticData::parse(bytes + "x", 3).ok());
  // Data of 3 features is one word per decision, as for 64 but not 65.
  EXPECT_TRUE(LogisticData::parse(bytes, 64).ok());
  EXPECT_FALSE(LogisticData::parse(bytes, 65).ok());
  // A bit of feature 3 (the fourth) set in some decision: the last field
  // is the bits, each decision's word ending the bytes.
  std::string beyond = bytes;
  beyond[beyond.size() - 8] |= 0x08;
  EXPECT_THAT(std::string(LogisticData::parse(beyond, 3).status().message()),
              ::testing::HasSubstr("beyond the last feature"));
  // An unknown status: the first game's, right after the word count (4
  // bytes) and the status count (8).
  std::string status = bytes;
  status[12] = 9;
  EXPECT_FALSE(LogisticData::parse(status, 3).ok());
}

}  // namespace
}  // namespace selfplay
