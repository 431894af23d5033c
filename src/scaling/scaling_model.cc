#include "selfplay/scaling_model.h"

#include <algorithm>
#include <set>

namespace selfplay::scaling {

Spread spread_of(std::vector<double> values) {
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  const double median =
      n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  return {median, values.front(), values.back()};
}

absl::StatusOr<AmdahlFit> fit_amdahl(absl::Span<const ThreadTime> points) {
  std::set<int> distinct;
  for (const ThreadTime& point : points) distinct.insert(point.threads);
  if (distinct.size() < 2 || *distinct.begin() < 1) {
    return absl::FailedPreconditionError(
        "an Amdahl fit needs times at two or more thread counts >= 1");
  }
  // Ordinary least squares of seconds on x = 1 / threads.
  const double n = static_cast<double>(points.size());
  double sum_x = 0, sum_y = 0, sum_xx = 0, sum_xy = 0;
  for (const ThreadTime& point : points) {
    const double x = 1.0 / point.threads;
    sum_x += x;
    sum_y += point.seconds;
    sum_xx += x * x;
    sum_xy += x * point.seconds;
  }
  const double b = (n * sum_xy - sum_x * sum_y) / (n * sum_xx - sum_x * sum_x);
  const double a = (sum_y - b * sum_x) / n;
  if (a + b <= 0) {
    return absl::FailedPreconditionError(
        "the fitted one-thread time is not positive");
  }
  return AmdahlFit{a / (a + b), a + b, static_cast<int>(points.size())};
}

std::optional<double> karp_flatt(double speedup, int threads) {
  if (threads < 2 || speedup <= 0) return std::nullopt;
  const double p = threads;
  return (1 / speedup - 1 / p) / (1 - 1 / p);
}

}  // namespace selfplay::scaling
