#include "selfplay/evolution.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <numeric>
#include <utility>

#include "absl/strings/str_cat.h"
#include "selfplay/limits.h"
#include "selfplay/random.h"
#include "tbb/blocked_range.h"
#include "tbb/info.h"
#include "tbb/parallel_for.h"
#include "tbb/task_arena.h"
#include "training/match_games.h"

namespace selfplay {
namespace {

// Names the evolution's streams of the seed.
constexpr std::uint64_t kVariationStream = 11;
constexpr std::uint64_t kFitnessGamesStream = 12;

double uniform01(Rng& rng) {
  return static_cast<double>(rng.next() >> 11) * 0x1.0p-53;
}

// A standard normal draw (Box-Muller; the second value is dropped so that
// each draw consumes a fixed two numbers).
double normal(Rng& rng) {
  const double u1 = 1.0 - uniform01(rng);  // (0, 1]: log is finite
  const double u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

struct Candidate {
  std::vector<double> weights;
  double fitness = 0;
};

absl::Status validate(const Model& model, const EvolutionOptions& options) {
  for (absl::Status status :
       {check_limit("evolution mu", options.mu, limits::kEvolveMu),
        check_limit("evolution lambda", options.lambda, limits::kEvolveLambda),
        check_limit("evolution generations", options.generations,
                    limits::kEvolveGenerations),
        check_limit("evolution sigma", options.sigma, limits::kEvolveSigma),
        check_limit("evolution games per candidate",
                    options.games_per_candidate, limits::kEvolveGames)}) {
    if (!status.ok()) return status;
  }
  if (!std::isfinite(options.sigma_decay) || options.sigma_decay < 0) {
    return absl::InvalidArgumentError(
        "the evolution sigma decay must be finite and >= 0");
  }
  for (double probability :
       {options.sign_flip_probability, options.crossover_probability}) {
    if (!(probability >= 0 && probability <= 1)) {
      return absl::InvalidArgumentError(
          "evolution probabilities must lie in [0, 1]");
    }
  }
  if (!(options.weight_limit > 0)) {
    return absl::InvalidArgumentError("the weight limit must be > 0");
  }
  if (!options.player.needs_model()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the evolved player must use the model's objectives; ",
                     options.player.to_string(), " does not"));
  }
  if (model.objectives().empty()) {
    return absl::InvalidArgumentError("the model has no objectives to evolve");
  }
  return absl::OkStatus();
}

class Evolution {
 public:
  Evolution(const Game& game, const Model& model,
            const EvolutionOptions& options, const Policy& opponent,
            int players)
      : game_(game),
        model_(model),
        options_(options),
        opponent_(opponent),
        players_(players),
        variation_(derive_seed(options.seed, kVariationStream)),
        fitness_seed_(derive_seed(options.seed, kFitnessGamesStream)),
        arena_(options.threads == 0 ? tbb::info::default_concurrency()
                                    : options.threads) {}

  absl::StatusOr<EvolutionResult> run() {
    std::vector<double> base;
    for (const Objective& objective : model_.objectives()) {
      base.push_back(objective.weight);
    }
    std::vector<Candidate> population = {{base}};
    double sigma = options_.sigma;
    while (static_cast<int>(population.size()) < options_.mu) {
      population.push_back({mutated(base, sigma)});
    }
    if (absl::Status status = measure(population); !status.ok()) return status;
    survive(population, {});
    EvolutionResult result;
    record(0, population, result.record);
    for (int generation = 1; generation <= options_.generations; ++generation) {
      generation_ = generation;
      std::vector<Candidate> offspring;
      for (int i = 0; i < options_.lambda; ++i) {
        offspring.push_back({offspring_of(population, sigma)});
      }
      if (absl::Status status = measure(offspring); !status.ok()) {
        return status;
      }
      survive(population, std::move(offspring));
      record(generation, population, result.record);
      sigma *= options_.sigma_decay;
    }
    result.weights = population.front().weights;
    result.fitness = population.front().fitness;
    result.record.mu = options_.mu;
    result.record.lambda = options_.lambda;
    result.record.generations = options_.generations;
    result.record.sigma = options_.sigma;
    result.record.games_per_candidate = options_.games_per_candidate;
    result.record.opponent = opponent_.name();
    return result;
  }

 private:
  bool stopped() const {
    return options_.stop != nullptr && options_.stop->stop_requested();
  }

  double clamped(double weight) const {
    return std::clamp(weight, -options_.weight_limit, options_.weight_limit);
  }

  std::vector<double> mutated(std::vector<double> weights, double sigma) {
    for (double& weight : weights) {
      weight += sigma * normal(variation_);
      if (uniform01(variation_) < options_.sign_flip_probability) {
        weight = -weight;
      }
      weight = clamped(weight);
    }
    return weights;
  }

  std::vector<double> offspring_of(const std::vector<Candidate>& parents,
                                   double sigma) {
    const auto pick = [&] {
      return &parents[variation_.uniform(
          static_cast<std::uint32_t>(parents.size()))];
    };
    std::vector<double> weights = pick()->weights;
    if (uniform01(variation_) < options_.crossover_probability) {
      const std::vector<double>& other = pick()->weights;
      for (std::size_t i = 0; i < weights.size(); ++i) {
        if (variation_.next() & 1) weights[i] = other[i];
      }
    }
    return mutated(std::move(weights), sigma);
  }

  // Plays every candidate's games in one parallel loop and sets fitness.
  absl::Status measure(std::vector<Candidate>& candidates) {
    std::vector<Model> models;
    std::vector<std::unique_ptr<Policy>> policies;
    models.reserve(candidates.size());
    for (const Candidate& candidate : candidates) {
      absl::StatusOr<Model> model = model_.with_weights(candidate.weights);
      if (!model.ok()) return model.status();
      models.push_back(*std::move(model));
    }
    for (const Model& model : models) {
      absl::StatusOr<std::unique_ptr<Policy>> policy =
          make_player(options_.player, &model);
      if (!policy.ok()) return policy.status();
      policies.push_back(*std::move(policy));
    }
    const std::uint64_t games = options_.games_per_candidate;
    std::vector<MatchOutcome> outcomes(candidates.size() * games);
    arena_.execute([&] {
      tbb::parallel_for(
          tbb::blocked_range<std::size_t>(0, outcomes.size()),
          [&](const tbb::blocked_range<std::size_t>& range) {
            std::vector<Action> actions;
            for (std::size_t i = range.begin(); i != range.end(); ++i) {
              if (stopped()) return;
              outcomes[i] =
                  play_match_game(game_, players_, options_.max_actions,
                                  *policies[i / games], opponent_,
                                  fitness_seed_, i % games, actions)
                      .outcome;
            }
          });
    });
    // Games left out: no fitness to compare.
    if (stopped()) {
      return absl::CancelledError(
          absl::StrCat("evolution interrupted in generation ", generation_,
                       " of ", options_.generations));
    }
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      double points = 0;
      for (std::uint64_t g = 0; g < games; ++g) {
        const MatchOutcome outcome = outcomes[c * games + g];
        points += outcome == MatchOutcome::kWin ? 1.0
                  : outcome == MatchOutcome::kDraw ||
                          outcome == MatchOutcome::kTruncated
                      ? 0.5
                      : 0.0;
      }
      candidates[c].fitness = points / static_cast<double>(games);
    }
    return absl::OkStatus();
  }

  // Keeps the best mu of both, the population's members first among equals.
  void survive(std::vector<Candidate>& population,
               std::vector<Candidate> offspring) const {
    for (Candidate& child : offspring) population.push_back(std::move(child));
    std::stable_sort(population.begin(), population.end(),
                     [](const Candidate& a, const Candidate& b) {
                       return a.fitness > b.fitness;
                     });
    population.resize(std::min<std::size_t>(population.size(), options_.mu));
  }

  void record(int generation, const std::vector<Candidate>& population,
              EvolutionRecord& record) const {
    double total = 0;
    for (const Candidate& candidate : population) total += candidate.fitness;
    const double best = population.front().fitness;
    const double mean = total / static_cast<double>(population.size());
    record.best_fitness.push_back(best);
    record.mean_fitness.push_back(mean);
    if (options_.progress) options_.progress(generation, best, mean);
  }

  const Game& game_;
  const Model& model_;
  const EvolutionOptions& options_;
  const Policy& opponent_;
  const int players_;
  Rng variation_;
  const std::uint64_t fitness_seed_;
  tbb::task_arena arena_;
  int generation_ = 0;  // being measured (0: the first population)
};

}  // namespace

absl::StatusOr<EvolutionResult> evolve_weights(
    const Game& game, const Model& model, const EvolutionOptions& options) {
  if (absl::Status status = validate(model, options); !status.ok()) {
    return status;
  }
  const absl::StatusOr<int> seats =
      check_players(game.structure(), options.players);
  if (!seats.ok()) return seats.status();
  const int players = *seats;
  if (options.threads < 0 || options.max_actions < 1) {
    return absl::InvalidArgumentError(
        "evolution needs threads >= 0 and max_actions >= 1");
  }
  absl::StatusOr<std::unique_ptr<Policy>> opponent =
      make_player(options.opponent, &model);
  if (!opponent.ok()) return opponent.status();
  Evolution evolution(game, model, options, **opponent, players);
  return evolution.run();
}

}  // namespace selfplay
