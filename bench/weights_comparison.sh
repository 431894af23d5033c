#!/usr/bin/env bash
# `train --weights logistic` against `--weights phi`: for each game, trains
# both models from the same self-play games (same seed and oracle; only the
# analysis differs), then plays, seats alternated, with Wilson 95% intervals:
# logistic-greedy against phi-greedy, and each greedy player against MCTS
# and random. Every command is printed before it runs; outputs go to OUT.
#
#   bench/weights_comparison.sh [OUT] [GAMES] [THREADS]
#   e.g. nice -n 19 bench/weights_comparison.sh results/weights 1000 2
#
# Sizes: connect-four trains on 3 x 5000 games and checkers on 3 x 1000
# games of mcts:50 self-play (the README's training runs); the greedy
# players are one-ply (`greedy`) and two-ply (`greedy:2`).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-results/weights} games=${2:-1000} threads=${3:-2}
binary=${SELFPLAY:-build/release/selfplay}
mkdir -p "$out"

run() {  # output-file command...
  local file=$1
  shift
  echo "+ $*" | tee "$file"
  "$@" >>"$file"
  tail -n +2 "$file"
}

for game in connect-four checkers; do
  case $game in
    connect-four) per_iteration=5000 ;;
    checkers) per_iteration=1000 ;;
  esac
  for weights in phi logistic; do
    run "$out/$game-$weights.train.txt" "$binary" train --game "$game" \
      --iterations 3 --games-per-iteration "$per_iteration" --oracle mcts:50 \
      --evaluation-games 0 --weights "$weights" --threads "$threads" \
      --seed 1 --noprogress --out "$out/$game-$weights.json"
  done
  for player in greedy greedy:2; do
    tag=${player/:/}
    run "$out/$game-$tag-logistic-vs-phi.txt" "$binary" play --game "$game" \
      --model "$out/$game-logistic.json" --player "$player" \
      --vs-model "$out/$game-phi.json" --vs "$player" --games "$games" \
      --threads "$threads" --seed 2
    for weights in phi logistic; do
      for opponent in mcts:50 random; do
        run "$out/$game-$tag-$weights-vs-${opponent/:/}.txt" "$binary" play \
          --game "$game" --model "$out/$game-$weights.json" \
          --player "$player" --vs "$opponent" --games "$games" \
          --threads "$threads" --seed 2
      done
    done
  done
done
