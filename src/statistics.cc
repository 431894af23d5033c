#include "selfplay/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace selfplay {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double rate(std::uint64_t won, std::uint64_t lost) {
  return won + lost == 0 ? kNaN : static_cast<double>(won) / (won + lost);
}

double decisions(std::uint64_t half_units) { return half_units / 2.0; }

// The standard normal's 97.5% quantile: a 95% two-sided interval.
constexpr double kZ95 = 1.959963984540054;

// Two-sided p-value of a standard normal statistic.
double normal_p_value(double z) {
  return std::erfc(std::abs(z) / std::sqrt(2.0));
}

// Fills what features and action kinds share from their table: the constant
// flag, the clustered comparison and the decision-level test. q_value is set
// over the whole family afterwards.
template <typename Statistics>
void compare(const OutcomeTable& t, Statistics& s) {
  s.constant = t.true_won + t.true_lost == 0 || t.false_won + t.false_lost == 0;
  const ClusteredDifference clustered = clustered_difference(t);
  s.p_value = clustered.p_value;
  s.win_rate_difference = clustered.difference;
  s.ci_low = clustered.ci_low;
  s.ci_high = clustered.ci_high;
  s.p_value_decisions = chi_squared_p_value(chi_squared(t));
}

// Benjamini-Hochberg over the non-constant entries; constant ones keep q = 1.
template <typename Statistics>
void set_q_values(std::vector<Statistics>& statistics) {
  std::vector<double> p_values;
  p_values.reserve(statistics.size());
  for (const Statistics& s : statistics) {
    p_values.push_back(s.constant ? kNaN : s.p_value);
  }
  const std::vector<double> q_values = benjamini_hochberg(p_values);
  for (std::size_t i = 0; i < statistics.size(); ++i) {
    statistics[i].q_value = statistics[i].constant ? 1.0 : q_values[i];
  }
}

}  // namespace

ClusteredDifference clustered_difference(const OutcomeTable& t) {
  ClusteredDifference result;
  // Decisions on each side, and the wins over them in half-units. Long
  // double (64-bit mantissa on x86-64) holds every count exactly and keeps
  // the expanded sums of squares below from losing digits.
  using Real = long double;
  const Real n1 = static_cast<Real>(t.true_won + t.true_lost) / 2;
  const Real n0 = static_cast<Real>(t.false_won + t.false_lost) / 2;
  if (n1 == 0 || n0 == 0) {
    result.difference = result.standard_error = result.ci_low = result.ci_high =
        kNaN;
    return result;
  }
  // Half-units won per decision: twice the win rates.
  const Real r1 = t.true_won / n1, r0 = t.false_won / n0;
  result.difference = static_cast<double>((r1 - r0) / 2);
  if (t.games < 2) {
    result.standard_error = result.ci_low = result.ci_high = kNaN;
    return result;
  }
  // Sums over games of the products of the residuals e1 = w1 - r1 * n1 and
  // e0 = w0 - r0 * n0 (half-units), expanded into the per-game sums.
  const Real e1e1 = t.w1w1 - 2 * r1 * t.w1n1 + r1 * r1 * t.n1n1;
  const Real e0e0 = t.w0w0 - 2 * r0 * t.w0n0 + r0 * r0 * t.n0n0;
  const Real e1e0 = t.w1w0 - r0 * t.w1n0 - r1 * t.n1w0 + r1 * r0 * t.n1n0;
  // Var(p1) = c * e1e1 / (2 n1)^2, Var(p0) alike, Cov = c * e1e0 / (4 n1 n0).
  const Real games = t.games;
  const Real factor = games / (games - 1) / 4;
  const Real variance =
      factor * (e1e1 / (n1 * n1) + e0e0 / (n0 * n0) - 2 * e1e0 / (n1 * n0));
  // Rounding may leave a zero variance slightly negative.
  const double standard_error =
      variance > 0 ? static_cast<double>(std::sqrt(variance)) : 0.0;
  result.standard_error = standard_error;
  result.ci_low = result.difference - kZ95 * standard_error;
  result.ci_high = result.difference + kZ95 * standard_error;
  if (standard_error > 0) {
    result.p_value = normal_p_value(result.difference / standard_error);
  } else {
    // Every game's residuals vanish: the rates are exact.
    result.p_value = result.difference == 0 ? 1.0 : 0.0;
  }
  return result;
}

std::vector<double> benjamini_hochberg(const std::vector<double>& p_values) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < p_values.size(); ++i) {
    if (!std::isnan(p_values[i])) order.push_back(i);
  }
  // Largest p first, so that the running minimum runs over p_j >= p_i; ties
  // by index, so the result never depends on the sort's stability.
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return p_values[a] != p_values[b] ? p_values[a] > p_values[b] : a > b;
  });
  std::vector<double> q_values(p_values.size(), kNaN);
  const double m = static_cast<double>(order.size());
  double running = 1;
  for (std::size_t at = 0; at < order.size(); ++at) {
    const double rank = m - static_cast<double>(at);
    running = std::min(running, m * p_values[order[at]] / rank);
    q_values[order[at]] = running;
  }
  return q_values;
}

double phi(const OutcomeTable& t) {
  const double a = t.true_won, b = t.true_lost, c = t.false_won,
               d = t.false_lost;
  const double margins = (a + b) * (c + d) * (a + c) * (b + d);
  if (margins == 0) return 0;
  // The numerator exactly, so that a near-zero phi is not cancellation noise.
  const __int128 numerator = static_cast<__int128>(t.true_won) * t.false_lost -
                             static_cast<__int128>(t.true_lost) * t.false_won;
  return static_cast<double>(numerator) /
         (std::sqrt((a + b) * (c + d)) * std::sqrt((a + c) * (b + d)));
}

double chi_squared(const OutcomeTable& t) {
  const double n =
      decisions(t.true_won + t.true_lost + t.false_won + t.false_lost);
  const double p = phi(t);
  return n * p * p;
}

double chi_squared_p_value(double x) {
  if (!(x > 0)) return 1;
  return std::erfc(std::sqrt(x / 2));
}

std::vector<FeatureStatistics> feature_statistics(
    const SimulationResult& result) {
  std::vector<FeatureStatistics> statistics;
  const std::size_t count =
      std::min(result.features.size(), result.counts.features.size());
  statistics.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const OutcomeTable& t = result.counts.features[i];
    FeatureStatistics s;
    s.index = static_cast<int>(i);
    s.info = result.features[i];
    s.true_won = decisions(t.true_won);
    s.true_lost = decisions(t.true_lost);
    s.false_won = decisions(t.false_won);
    s.false_lost = decisions(t.false_lost);
    s.win_rate_true = rate(t.true_won, t.true_lost);
    s.win_rate_false = rate(t.false_won, t.false_lost);
    s.phi = phi(t);
    compare(t, s);
    s.games_true = t.games_true;
    statistics.push_back(std::move(s));
  }
  set_q_values(statistics);
  return statistics;
}

std::vector<ActionStatistics> action_statistics(
    const SimulationResult& result) {
  std::vector<ActionStatistics> statistics;
  const std::size_t count =
      std::min(result.action_kinds.size(), result.counts.actions.size());
  for (std::size_t k = 0; k < count; ++k) {
    const OutcomeTable& t = result.counts.actions[k];
    ActionStatistics s;
    s.kind = result.action_kinds[k];
    s.taken_won = decisions(t.true_won);
    s.taken_lost = decisions(t.true_lost);
    s.not_taken_won = decisions(t.false_won);
    s.not_taken_lost = decisions(t.false_lost);
    s.win_rate_taken = rate(t.true_won, t.true_lost);
    s.win_rate_not_taken = rate(t.false_won, t.false_lost);
    compare(t, s);
    s.games_taken = t.games_true;
    statistics.push_back(std::move(s));
  }
  set_q_values(statistics);
  return statistics;
}

LengthStatistics length_statistics(const SimulationCounts& counts) {
  LengthStatistics s;
  const std::vector<std::uint64_t>& histogram = counts.length_histogram;
  long double sum = 0;
  for (std::size_t n = 0; n < histogram.size(); ++n) {
    if (histogram[n] == 0) continue;
    if (s.games == 0) s.min = n;
    s.max = n;
    s.games += histogram[n];
    sum += static_cast<long double>(n) * histogram[n];
  }
  if (s.games == 0) return s;
  s.mean = static_cast<double>(sum / s.games);
  auto percentile = [&](std::uint64_t percent) {
    // Smallest rank r with r >= percent% of games, as exact integer math.
    const std::uint64_t rank = (s.games * percent + 99) / 100;
    std::uint64_t seen = 0;
    for (std::size_t n = 0; n < histogram.size(); ++n) {
      seen += histogram[n];
      if (seen >= rank) return static_cast<std::uint64_t>(n);
    }
    return s.max;
  };
  s.p50 = percentile(50);
  s.p90 = percentile(90);
  s.p99 = percentile(99);
  return s;
}

std::vector<FeatureStatistics> select_top_features(
    std::vector<FeatureStatistics> features, double min_abs_phi,
    int max_features) {
  std::erase_if(features, [min_abs_phi](const FeatureStatistics& f) {
    return !(std::abs(f.phi) >= min_abs_phi);
  });
  std::stable_sort(features.begin(), features.end(),
                   [](const FeatureStatistics& a, const FeatureStatistics& b) {
                     const double x = std::abs(a.phi), y = std::abs(b.phi);
                     return x != y ? x > y : a.index < b.index;
                   });
  if (max_features >= 0 &&
      features.size() > static_cast<std::size_t>(max_features)) {
    features.resize(max_features);
  }
  return features;
}

double correlation_to_weight(double phi) {
  return std::clamp(10.0 * phi, -20.0, 20.0);
}

}  // namespace selfplay
