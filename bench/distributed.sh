#!/usr/bin/env bash
# Ranks x threads side by side on one machine: 1 rank x 1 thread, 1 x 2,
# 2 ranks x 1 thread (with three chunk sizes) and mpirun -np 1 x 2, the
# configurations interleaved in every repeat so that load from other work on
# the machine falls on all of them alike. Prints medians over the repeats:
# wall time inside selfplay (the JSON's timing.wall_s), wall time of the whole
# command (process and MPI start included), speed-up over 1 x 1, and for MPI
# runs the reduction time, its share of the run and the per-rank imbalance.
#
#   bench/distributed.sh [build dir] [games] [repeats]   (defaults: build/release 100000 5)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-build/release}/selfplay
games=${2:-100000}
repeats=${3:-5}
game_flags="--game checkers --games $games --seed 1 --top 0 --noprogress"
mpirun="mpirun --allow-run-as-root --oversubscribe --bind-to none"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

names=("1 rank x 1 thread" "1 rank x 2 threads" "mpirun -np 1 x 2 threads"
  "2 ranks x 1 thread" "2 ranks x 1, contiguous halves" "2 ranks x 1, chunks of 64")
launchers=("" "" "$mpirun -np 1" "$mpirun -np 2"
  "$mpirun -x SELFPLAY_MPI_CHUNK=$(((games + 1) / 2)) -np 2"
  "$mpirun -x SELFPLAY_MPI_CHUNK=64 -np 2")
threads=(1 2 2 1 1 1)

calc() { awk "BEGIN {print $1}"; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

for ((r = 0; r < repeats; ++r)); do
  for i in "${!names[@]}"; do
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    ${launchers[$i]} "$binary" simulate $game_flags --threads "${threads[$i]}" \
      --json "$work/out.json" >/dev/null 2>"$work/err"
    end=$(date +%s.%N)
    wall=$(sed -n 's/.*"wall_s": \([0-9.e+-]*\).*/\1/p' "$work/out.json")
    # Every configuration must write the JSON of the first, timing aside.
    python3 -c 'import json, sys
load = lambda path: {k: v for k, v in json.load(open(path)).items() if k != "timing"}
sys.exit(load(sys.argv[1]) != load(sys.argv[2]))' "$work/out.json" \
      "$( [ -f "$work/reference.json" ] && echo "$work/reference.json" || echo "$work/out.json")" ||
      { echo "distributed.sh: ${names[$i]} wrote a different result" >&2; exit 1; }
    [ -f "$work/reference.json" ] || cp "$work/out.json" "$work/reference.json"
    echo "$wall" >>"$work/wall.$i"
    calc "$end - $start" >>"$work/command.$i"
    # "...(imbalance 1.1%); reduction 0.52 ms" from rank 0's closing line.
    sed -n 's/.*imbalance \([0-9.]*\)%.*/\1/p' "$work/err" >>"$work/imbalance.$i"
    sed -n 's/.*reduction \([0-9.]*\) ms.*/\1/p' "$work/err" >>"$work/reduction.$i"
  done
done

echo "checkers, $games games, features on; medians of $repeats interleaved repeats; every run's JSON equal to the first's, timing aside"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '| %-31s | %8s | %9s | %8s | %9s | %8s | %9s |\n' configuration "wall s" \
  "command s" speed-up "reduce ms" "reduce %" "imbalance"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..33})" ---------- \
  ----------- ---------- ----------- ---------- -----------
base=$(median <"$work/wall.0")
for i in "${!names[@]}"; do
  wall=$(median <"$work/wall.$i")
  command=$(median <"$work/command.$i")
  if [ -s "$work/reduction.$i" ]; then
    reduction=$(median <"$work/reduction.$i")
    share=$(calc "100 * $reduction / 1000 / $wall")
    imbalance=$(median <"$work/imbalance.$i")
    printf '| %-31s | %8.3f | %9.3f | %7.2fx | %9.2f | %7.3f%% | %8.1f%% |\n' \
      "${names[$i]}" "$wall" "$command" "$(calc "$base / $wall")" \
      "$reduction" "$share" "$imbalance"
  else
    printf '| %-31s | %8.3f | %9.3f | %7.2fx | %9s | %8s | %9s |\n' \
      "${names[$i]}" "$wall" "$command" "$(calc "$base / $wall")" - - -
  fi
done
