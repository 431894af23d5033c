"""Simulates connect-four, plots the features whose truth moves the win rate
most (the win-rate difference with its 95% interval) to a PNG, trains a
small model and prints its objectives. A few seconds.

    PYTHONPATH=build/release/python /usr/bin/python3 \\
        examples/python/top_features.py top_features.png

Needs matplotlib (python3-matplotlib); it draws with the Agg backend, so no
display is needed.
"""

import argparse
import math

import matplotlib

matplotlib.use("Agg")  # before pyplot: files only, no display
import matplotlib.pyplot as plt  # noqa: E402

import selfplay  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("png", nargs="?", default="top_features.png")
    parser.add_argument("--game", default="connect-four")
    parser.add_argument("--games", type=int, default=20000)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    result = selfplay.simulate(args.game, games=args.games, seed=args.seed)
    table = result.feature_table
    # Constant features and undefined differences say nothing.
    rows = [i for i in range(len(table))
            if not table["constant"][i]
            and math.isfinite(table["win_rate_difference"][i])]
    rows.sort(key=lambda i: abs(table["win_rate_difference"][i]), reverse=True)
    rows = rows[:args.top][::-1]  # the largest at the top of the plot
    if not rows:
        raise SystemExit(f"no feature of {args.game} varied in the run")
    difference = table["win_rate_difference"][rows]
    errors = [difference - table["ci_low"][rows],
              table["ci_high"][rows] - difference]

    figure, axes = plt.subplots(figsize=(8, 0.4 * len(rows) + 1.5))
    axes.errorbar(difference, range(len(rows)), xerr=errors, fmt="o",
                  capsize=3)
    axes.axvline(0, color="grey", linewidth=0.8)
    axes.set_yticks(range(len(rows)), [result.features[i] for i in rows])
    axes.set_xlabel("win rate when true - when false (95% interval)")
    axes.set_title(f"{args.game}: {result.games} games, seed {args.seed}")
    figure.tight_layout()
    figure.savefig(args.png)
    print(f"wrote {args.png}")

    model = selfplay.train(args.game, iterations=1, games_per_iteration=500,
                           oracle="mcts:20", evaluation_games=50,
                           seed=args.seed)
    print(f"{len(model.objectives)} objectives of a model of {model.game}:")
    for objective in model.objectives:
        print(f"  {objective['weight']:+.3f}  {objective['feature']}")


if __name__ == "__main__":
    main()
