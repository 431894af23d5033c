#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "selfplay/result_output.h"
#include "selfplay/statistics.h"

namespace selfplay {
namespace {

// Colours readable on white and for the common colour-vision deficiencies.
constexpr const char* kPositive = "#1b7837";
constexpr const char* kNegative = "#762a83";
constexpr const char* kWin = "#4d9221";
constexpr const char* kDraw = "#bababa";
constexpr const char* kLoss = "#c51b7d";
constexpr const char* kBar = "#4575b4";
constexpr const char* kGrid = "#e0e0e0";

constexpr const char* kStyle = R"(
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif;
       margin: 24px auto; max-width: 1080px; color: #222; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 6px; }
p.lead { margin: 0 0 18px; color: #444; }
p.note { color: #666; font-size: 12px; margin: 6px 0 0; }
section { border: 1px solid #ddd; border-radius: 6px; padding: 12px 16px;
          margin-bottom: 18px; }
.row { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
.row section { margin-bottom: 0; }
.row + section { margin-top: 18px; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font-size: 12px; fill: #222; }
svg text.small { font-size: 11px; fill: #555; }
table { border-collapse: collapse; font-size: 13px; margin-top: 8px; }
th, td { padding: 3px 10px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { border-bottom: 1px solid #bbb; }
)";

// Text for HTML and SVG: the five XML specials escaped.
std::string escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string percent(double rate) {
  return std::isnan(rate) ? "-" : absl::StrFormat("%.1f%%", 100 * rate);
}

// A round step for about `count` ticks over a span: 1, 2 or 5 times a power
// of ten.
double tick_step(double span, int count) {
  if (!(span > 0)) return 1;
  const double raw = span / count;
  const double power = std::pow(10, std::floor(std::log10(raw)));
  for (double factor : {1.0, 2.0, 5.0}) {
    if (raw <= factor * power) return factor * power;
  }
  return 10 * power;
}

// A horizontal axis from `low` to `high` (data units) drawn over pixels
// [left, right]: maps values and draws gridlines with labels.
class Axis {
 public:
  Axis(double low, double high, double left, double right)
      : low_(low), high_(high), left_(left), right_(right) {}
  double x(double value) const {
    return left_ + (value - low_) / (high_ - low_) * (right_ - left_);
  }
  // Vertical gridlines from `top` to `bottom`, labels below, `format`
  // turning a tick value into its label.
  template <typename Format>
  void draw(std::string& svg, double top, double bottom, int count,
            Format format) const {
    const double step = tick_step(high_ - low_, count);
    for (double tick = std::ceil(low_ / step) * step;
         tick <= high_ + 1e-9 * step; tick += step) {
      const double px = x(tick);
      absl::StrAppendFormat(&svg,
                            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                            "y2=\"%.1f\" stroke=\"%s\"/>",
                            px, top, px, bottom, kGrid);
      absl::StrAppendFormat(&svg,
                            "<text class=\"small\" x=\"%.1f\" y=\"%.1f\" "
                            "text-anchor=\"middle\">%s</text>",
                            px, bottom + 14, escape(format(tick)));
    }
  }

 private:
  double low_, high_, left_, right_;
};

// The opening tag of an SVG picture of `width` x `height` pixels.
std::string svg_open(double width, double height, const char* label) {
  return absl::StrFormat(
      "<svg viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
      "role=\"img\" aria-label=\"%s\">",
      width, height, width, height, label);
}

// A row of colour keys at the top of a picture, from x = `left`, one every
// `spacing` pixels.
void draw_legend(
    std::string& svg, double left, double spacing,
    std::initializer_list<std::pair<const char*, const char*>> entries) {
  double x = left;
  for (const auto& [name, colour] : entries) {
    absl::StrAppendFormat(&svg,
                          "<rect x=\"%.1f\" y=\"4\" width=\"12\" height=\"12\" "
                          "fill=\"%s\"/><text class=\"small\" x=\"%.1f\" "
                          "y=\"14\">%s</text>",
                          x, colour, x + 16, name);
    x += spacing;
  }
}

// One row of the forest plot: a difference of win rates with its interval
// (NaN ends: none known).
struct ForestRow {
  std::string label;
  std::string title;  // the feature's description, shown on hover
  double difference = 0;
  double low = NAN;
  double high = NAN;
};

std::string forest_plot(const std::vector<ForestRow>& rows) {
  constexpr double kWidth = 1040, kLabel = 300, kRight = 160, kRowHeight = 22;
  constexpr double kTop = 10, kAxisSpace = 34;
  const double height = kTop + rows.size() * kRowHeight + kAxisSpace;
  double low = 0, high = 0;
  for (const ForestRow& row : rows) {
    low = std::min({low, row.difference, std::isnan(row.low) ? 0 : row.low});
    high =
        std::max({high, row.difference, std::isnan(row.high) ? 0 : row.high});
  }
  const double pad = std::max(0.02, (high - low) * 0.05);
  const Axis axis(low - pad, high + pad, kLabel, kWidth - kRight);
  std::string svg = svg_open(kWidth, height, "win-rate differences");
  const double plot_bottom = kTop + rows.size() * kRowHeight;
  axis.draw(svg, kTop, plot_bottom, 8, [](double tick) {
    return std::abs(tick) < 1e-12 ? std::string("0")
                                  : absl::StrFormat("%+.0f", 100 * tick);
  });
  absl::StrAppendFormat(&svg,
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                        "stroke=\"#555\" stroke-dasharray=\"3 3\"/>",
                        axis.x(0), kTop, axis.x(0), plot_bottom);
  absl::StrAppendFormat(
      &svg,
      "<text class=\"small\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
      "win rate when true minus when false (percentage points)</text>",
      (kLabel + kWidth - kRight) / 2, height - 2);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ForestRow& row = rows[i];
    const double y = kTop + (i + 0.5) * kRowHeight;
    const char* colour = row.difference >= 0 ? kPositive : kNegative;
    absl::StrAppendFormat(&svg,
                          "<g><title>%s</title><text x=\"%.1f\" y=\"%.1f\" "
                          "text-anchor=\"end\">%s</text>",
                          escape(row.title), kLabel - 10, y + 4,
                          escape(row.label));
    std::string numbers = absl::StrFormat("%+.1f", 100 * row.difference);
    if (!std::isnan(row.low) && !std::isnan(row.high)) {
      absl::StrAppendFormat(&svg,
                            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                            "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>",
                            axis.x(row.low), y, axis.x(row.high), y, colour);
      for (double end : {row.low, row.high}) {
        absl::StrAppendFormat(&svg,
                              "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                              "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>",
                              axis.x(end), y - 5, axis.x(end), y + 5, colour);
      }
      absl::StrAppendFormat(&numbers, " [%+.1f, %+.1f]", 100 * row.low,
                            100 * row.high);
    }
    absl::StrAppendFormat(&svg,
                          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" "
                          "fill=\"%s\"/>",
                          axis.x(row.difference), y, colour);
    absl::StrAppendFormat(&svg,
                          "<text class=\"small\" x=\"%.1f\" y=\"%.1f\">%s"
                          "</text></g>",
                          kWidth - kRight + 10, y + 4, numbers);
  }
  svg += "</svg>";
  return svg;
}

std::string seat_bars(const SimulationCounts& counts) {
  constexpr double kWidth = 500, kLabel = 60, kRowHeight = 30, kTop = 24;
  const double height = kTop + counts.seats.size() * kRowHeight + 8;
  const Axis axis(0, 1, kLabel, kWidth - 10);
  std::string svg = svg_open(kWidth, height, "seat results");
  draw_legend(svg, kLabel, 80,
              {{"wins", kWin}, {"draws", kDraw}, {"losses", kLoss}});
  for (std::size_t seat = 0; seat < counts.seats.size(); ++seat) {
    const SeatCounts& s = counts.seats[seat];
    const double total = static_cast<double>(s.wins + s.draws + s.losses);
    const double y = kTop + seat * kRowHeight;
    absl::StrAppendFormat(&svg,
                          "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
                          "seat %d</text>",
                          kLabel - 8, y + 16, seat);
    double start = 0;
    for (const auto& [count, colour] :
         {std::pair{s.wins, kWin}, {s.draws, kDraw}, {s.losses, kLoss}}) {
      const double share = total > 0 ? count / total : 0;
      const double x = axis.x(start), w = axis.x(start + share) - x;
      absl::StrAppendFormat(&svg,
                            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                            "height=\"22\" fill=\"%s\"><title>%u games"
                            "</title></rect>",
                            x, y, w, colour, count);
      if (w > 44) {
        absl::StrAppendFormat(&svg,
                              "<text x=\"%.1f\" y=\"%.1f\" "
                              "text-anchor=\"middle\">%.1f%%</text>",
                              x + w / 2, y + 15, 100 * share);
      }
      start += share;
    }
  }
  svg += "</svg>";
  return svg;
}

std::string seat_table(const SimulationCounts& counts) {
  std::string html =
      "<table><thead><tr><th>seat</th><th>wins</th><th>draws</th>"
      "<th>losses</th></tr></thead><tbody>";
  for (std::size_t seat = 0; seat < counts.seats.size(); ++seat) {
    const SeatCounts& s = counts.seats[seat];
    absl::StrAppendFormat(&html,
                          "<tr><td>%d</td><td>%u</td><td>%u</td><td>%u</td>"
                          "</tr>",
                          seat, s.wins, s.draws, s.losses);
  }
  html += "</tbody></table>";
  return html;
}

std::string length_histogram(const SimulationCounts& counts) {
  constexpr double kWidth = 500, kHeight = 220, kLeft = 56, kBottom = 36;
  constexpr double kTop = 10, kMaxBins = 60;
  const LengthStatistics length = length_statistics(counts);
  std::string svg = svg_open(kWidth, kHeight, "game lengths");
  if (length.games == 0) {
    svg += "<text x=\"20\" y=\"40\">no completed games</text></svg>";
    return svg;
  }
  // Bins of whole lengths, at most kMaxBins of them.
  const std::uint64_t span = length.max - length.min + 1;
  const std::uint64_t width =
      (span + static_cast<std::uint64_t>(kMaxBins) - 1) /
      static_cast<std::uint64_t>(kMaxBins);
  std::vector<std::uint64_t> bins((span + width - 1) / width, 0);
  for (std::uint64_t n = length.min; n <= length.max; ++n) {
    bins[(n - length.min) / width] += counts.length_histogram[n];
  }
  const double tallest = static_cast<double>(
      std::max<std::uint64_t>(1, *std::max_element(bins.begin(), bins.end())));
  const double plot_bottom = kHeight - kBottom;
  const double step = tick_step(tallest, 6);
  for (double tick = 0; tick <= tallest; tick += step) {
    const double y = plot_bottom - tick / tallest * (plot_bottom - kTop);
    absl::StrAppendFormat(&svg,
                          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                          "y2=\"%.1f\" stroke=\"%s\"/><text class=\"small\" "
                          "x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.0f"
                          "</text>",
                          kLeft, y, kWidth - 10, y, kGrid, kLeft - 6, y + 4,
                          tick);
  }
  const Axis axis(static_cast<double>(length.min),
                  static_cast<double>(length.min + bins.size() * width), kLeft,
                  kWidth - 10);
  axis.draw(svg, plot_bottom, plot_bottom, 8,
            [](double tick) { return absl::StrFormat("%.0f", tick); });
  for (std::size_t b = 0; b < bins.size(); ++b) {
    const double first = static_cast<double>(length.min + b * width);
    const double x = axis.x(first), w = axis.x(first + width) - x;
    const double h = bins[b] / tallest * (plot_bottom - kTop);
    absl::StrAppendFormat(
        &svg,
        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
        "fill=\"%s\"><title>%s actions: %u games</title></rect>",
        x + 0.5, plot_bottom - h, std::max(0.5, w - 1), h, kBar,
        width == 1 ? absl::StrCat(first)
                   : absl::StrCat(first, "-", first + width - 1),
        bins[b]);
  }
  absl::StrAppendFormat(&svg,
                        "<text class=\"small\" x=\"%.1f\" y=\"%.1f\" "
                        "text-anchor=\"middle\">actions per completed game"
                        "</text></svg>",
                        (kLeft + kWidth) / 2, kHeight - 4);
  return svg;
}

std::string action_bars(const std::vector<ActionStatistics>& actions) {
  constexpr double kWidth = 1040, kLabel = 160, kRowHeight = 34, kTop = 24;
  const double height = kTop + actions.size() * kRowHeight + 30;
  const Axis axis(0, 1, kLabel, kWidth - 90);
  std::string svg = svg_open(kWidth, height, "action kinds");
  const double plot_bottom = kTop + actions.size() * kRowHeight;
  axis.draw(svg, kTop, plot_bottom, 10,
            [](double tick) { return absl::StrFormat("%.0f%%", 100 * tick); });
  draw_legend(
      svg, kLabel, 220,
      {{"win rate when taken", kBar}, {"when available but not taken", kDraw}});
  for (std::size_t k = 0; k < actions.size(); ++k) {
    const ActionStatistics& a = actions[k];
    const double y = kTop + k * kRowHeight + 4;
    absl::StrAppendFormat(&svg,
                          "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s"
                          "</text>",
                          kLabel - 8, y + 15, escape(a.kind));
    int bar = 0;
    for (const auto& [rate, colour] :
         {std::pair{a.win_rate_taken, kBar}, {a.win_rate_not_taken, kDraw}}) {
      const double top = y + bar++ * 13;
      if (std::isnan(rate)) continue;
      absl::StrAppendFormat(&svg,
                            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                            "height=\"12\" fill=\"%s\"/><text "
                            "class=\"small\" x=\"%.1f\" y=\"%.1f\">%s</text>",
                            axis.x(0), top, axis.x(rate) - axis.x(0), colour,
                            axis.x(rate) + 4, top + 10, percent(rate));
    }
  }
  svg += "</svg>";
  return svg;
}

std::string action_table(const std::vector<ActionStatistics>& actions) {
  std::string html =
      "<table><thead><tr><th>kind</th><th>taken</th><th>win rate taken</th>"
      "<th>available, not taken</th><th>win rate not taken</th>"
      "<th>difference [95% interval]</th><th>p (games)</th></tr></thead>"
      "<tbody>";
  for (const ActionStatistics& a : actions) {
    const std::string difference =
        std::isnan(a.ci_low) || std::isnan(a.ci_high)
            ? std::string("-")
            : absl::StrFormat("%+.1f [%+.1f, %+.1f]",
                              100 * a.win_rate_difference, 100 * a.ci_low,
                              100 * a.ci_high);
    absl::StrAppendFormat(
        &html,
        "<tr><td>%s</td><td>%.0f</td><td>%s</td><td>%.0f</td><td>%s</td>"
        "<td>%s</td><td>%s</td></tr>",
        escape(a.kind), a.taken_won + a.taken_lost, percent(a.win_rate_taken),
        a.not_taken_won + a.not_taken_lost, percent(a.win_rate_not_taken),
        difference, a.constant ? "-" : absl::StrFormat("%.3g", a.p_value));
  }
  html += "</tbody></table>";
  return html;
}

}  // namespace

std::string result_to_html(const SimulationResult& result, int top) {
  const SimulationCounts& counts = result.counts;
  const std::string title =
      absl::StrFormat("%s: %u self-play games", result.game, result.requested);
  std::string html = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
      "<meta name=\"viewport\" content=\"width=device-width\"/><title>",
      escape(title), "</title><style>", kStyle, "</style></head><body>\n");
  absl::StrAppendFormat(
      &html,
      "<h1>%s</h1><p class=\"lead\">%d players, seed %u: %u completed, %u "
      "truncated, %u failed, %u cancelled; %u decisions.</p>\n",
      escape(title), result.players, result.seed, counts.completed,
      counts.truncated, counts.failed, result.cancelled, counts.states);

  const std::vector<FeatureStatistics> best =
      select_top_features(feature_statistics(result), 0.0, top);
  html += "<section><h2>Features: win-rate differences</h2>";
  if (best.empty()) {
    html += "<p>No features were evaluated in this run.</p>";
  } else {
    std::vector<ForestRow> rows;
    for (const FeatureStatistics& f : best) {
      // A feature that always or never held has no difference to show.
      if (std::isnan(f.win_rate_difference)) continue;
      rows.push_back({.label = f.info.id,
                      .title = f.info.description,
                      .difference = f.win_rate_difference,
                      .low = f.ci_low,
                      .high = f.ci_high});
    }
    html += forest_plot(rows);
    absl::StrAppendFormat(
        &html,
        "<p class=\"note\">The %d features with the largest |phi|: the "
        "deciding player's win rate when the feature held minus when it did "
        "not, counting a draw as half a win, with its 95%% interval that "
        "treats games, not decisions, as the independent units.</p>",
        best.size());
  }
  html += "</section>\n<div class=\"row\"><section><h2>Seat results</h2>";
  html += seat_bars(counts);
  html += seat_table(counts);
  html +=
      "<p class=\"note\">Completed games; a shared win counts as a draw."
      "</p></section><section><h2>Game length</h2>";
  html += length_histogram(counts);
  const LengthStatistics length = length_statistics(counts);
  absl::StrAppendFormat(&html,
                        "<p class=\"note\">min %u, mean %.1f, p50 %u, p90 %u, "
                        "p99 %u, max %u actions.</p></section></div>\n",
                        length.min, length.mean, length.p50, length.p90,
                        length.p99, length.max);
  const std::vector<ActionStatistics> actions = action_statistics(result);
  html += "<section><h2>Action kinds</h2>";
  html += action_bars(actions);
  html += action_table(actions);
  html += "</section>\n</body></html>\n";
  return html;
}

}  // namespace selfplay
