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

}  // namespace

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
    s.p_value = chi_squared_p_value(chi_squared(t));
    statistics.push_back(std::move(s));
  }
  return statistics;
}

std::vector<ActionStatistics> action_statistics(
    const SimulationResult& result) {
  std::vector<ActionStatistics> statistics;
  const std::size_t count =
      std::min(result.action_kinds.size(), result.counts.actions.size());
  for (std::size_t k = 0; k < count; ++k) {
    const OutcomeTable& t = result.counts.actions[k];
    statistics.push_back(
        {result.action_kinds[k], decisions(t.true_won), decisions(t.true_lost),
         decisions(t.false_won), decisions(t.false_lost),
         rate(t.true_won, t.true_lost), rate(t.false_won, t.false_lost)});
  }
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
