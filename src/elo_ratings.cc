#include "selfplay/elo_ratings.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"

namespace selfplay {
namespace {

// Ratings are fitted in natural units, theta = r * ln(10) / 400, where
// p = 1 / (1 + exp(-(theta_i - theta_j))).
const double kEloPerNatural = 400 / std::log(10.0);

// Whether every player reaches every other along edges i -> j for pairings
// in which i scored against j.
bool strongly_connected(int players, absl::Span<const PairScore> results) {
  std::vector<std::vector<bool>> reach(players, std::vector<bool>(players));
  for (int i = 0; i < players; ++i) reach[i][i] = true;
  for (const PairScore& pair : results) {
    if (pair.score > 0) reach[pair.first][pair.second] = true;
    if (pair.score < static_cast<double>(pair.games)) {
      reach[pair.second][pair.first] = true;
    }
  }
  // Floyd–Warshall's transitive closure: a handful of players.
  for (int k = 0; k < players; ++k) {
    for (int i = 0; i < players; ++i) {
      for (int j = 0; j < players; ++j) {
        if (reach[i][k] && reach[k][j]) reach[i][j] = true;
      }
    }
  }
  for (int i = 0; i < players; ++i) {
    for (int j = 0; j < players; ++j) {
      if (!reach[i][j]) return false;
    }
  }
  return true;
}

// Solves a x = b for the symmetric positive definite `a` (Cholesky).
std::vector<double> solve(const std::vector<std::vector<double>>& a,
                          const std::vector<double>& b) {
  const std::size_t n = b.size();
  std::vector<std::vector<double>> l(n, std::vector<double>(n, 0));
  for (std::size_t j = 0; j < n; ++j) {
    double diagonal = a[j][j];
    for (std::size_t k = 0; k < j; ++k) diagonal -= l[j][k] * l[j][k];
    l[j][j] = std::sqrt(diagonal);
    for (std::size_t i = j + 1; i < n; ++i) {
      double sum = a[i][j];
      for (std::size_t k = 0; k < j; ++k) sum -= l[i][k] * l[j][k];
      l[i][j] = sum / l[j][j];
    }
  }
  std::vector<double> x(b);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t k = 0; k < i; ++k) x[i] -= l[i][k] * x[k];
    x[i] /= l[i][i];
  }
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t k = i + 1; k < n; ++k) x[i] -= l[k][i] * x[k];
    x[i] /= l[i][i];
  }
  return x;
}

}  // namespace

absl::StatusOr<std::vector<Interval>> fit_elo_ratings(
    int players, absl::Span<const PairScore> results, int anchor) {
  if (players < 1 || anchor < 0 || anchor >= players) {
    return absl::InvalidArgumentError(absl::StrCat("Elo ratings: anchor ",
                                                   anchor, " is not one of ",
                                                   players, " players"));
  }
  for (const PairScore& pair : results) {
    if (pair.first < 0 || pair.first >= players || pair.second < 0 ||
        pair.second >= players || pair.first == pair.second ||
        !(pair.score >= 0 && pair.score <= static_cast<double>(pair.games))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Elo ratings: a pairing of ", pair.first, " and ", pair.second,
          " with ", pair.score, " points in ", pair.games,
          " games does not fit ", players, " players"));
    }
  }
  if (!strongly_connected(players, results)) {
    return absl::FailedPreconditionError(
        "no finite Elo ratings: some players won (or lost) every game "
        "against the rest, or played none");
  }
  // Newton's method on the concave log-likelihood over the free players
  // (all but the anchor), halving a step that does not raise it.
  std::vector<int> free_index(players, -1);
  int free = 0;
  for (int i = 0; i < players; ++i) {
    if (i != anchor) free_index[i] = free++;
  }
  std::vector<double> theta(players, 0);
  const auto log_likelihood = [&](const std::vector<double>& t) {
    double sum = 0;
    for (const PairScore& pair : results) {
      const double d = t[pair.first] - t[pair.second];
      // log p = -log(1 + e^-d), log(1 - p) = -log(1 + e^d).
      sum -= pair.score * std::log1p(std::exp(-d)) +
             (pair.games - pair.score) * std::log1p(std::exp(d));
    }
    return sum;
  };
  // Gradient and negative Hessian over the free players.
  std::vector<double> gradient(free);
  std::vector<std::vector<double>> information(free, std::vector<double>(free));
  const auto differentiate = [&] {
    gradient.assign(free, 0);
    information.assign(free, std::vector<double>(free, 0));
    for (const PairScore& pair : results) {
      const double p =
          1 / (1 + std::exp(-(theta[pair.first] - theta[pair.second])));
      const double g = pair.score - pair.games * p;
      const double w = pair.games * p * (1 - p);
      const int a = free_index[pair.first];
      const int b = free_index[pair.second];
      if (a >= 0) {
        gradient[a] += g;
        information[a][a] += w;
      }
      if (b >= 0) {
        gradient[b] -= g;
        information[b][b] += w;
      }
      if (a >= 0 && b >= 0) {
        information[a][b] -= w;
        information[b][a] -= w;
      }
    }
  };
  for (int step = 0; step < 200; ++step) {
    differentiate();
    double largest = 0;
    for (double g : gradient) largest = std::max(largest, std::abs(g));
    if (largest < 1e-10) break;
    const std::vector<double> delta = solve(information, gradient);
    const double before = log_likelihood(theta);
    for (double scale = 1; scale > 1e-12; scale /= 2) {
      std::vector<double> next = theta;
      for (int i = 0; i < players; ++i) {
        if (free_index[i] >= 0) next[i] += scale * delta[free_index[i]];
      }
      if (log_likelihood(next) >= before) {
        theta = std::move(next);
        break;
      }
    }
  }
  differentiate();
  std::vector<Interval> ratings(players);
  for (int i = 0; i < players; ++i) {
    if (free_index[i] < 0) continue;
    // The variance of theta_i: the i-th diagonal entry of the inverse
    // information, its i-th column solved for.
    std::vector<double> unit(free, 0);
    unit[free_index[i]] = 1;
    const double variance = solve(information, unit)[free_index[i]];
    const double rating = theta[i] * kEloPerNatural;
    const double half = kZ95 * std::sqrt(variance) * kEloPerNatural;
    ratings[i] = {rating, rating - half, rating + half};
  }
  return ratings;
}

}  // namespace selfplay
