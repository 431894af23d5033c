#!/usr/bin/env bash
# What two cores of this machine give to work that shares nothing: one
# single-thread process alone, two single-thread processes at once (the
# ceiling for any parallel engine), and one process with 2 threads, in turn
# in every repeat. Prints each repeat and the medians of the two ratios.
#
#   bench/two_processes.sh GAME GAMES [repeats] [more simulate flags]
#   e.g. bench/two_processes.sh connect-four 200000 5
set -euo pipefail
cd "$(dirname "$0")/.."
game=$1 games=$2 repeats=${3:-5}
shift $(($# < 3 ? $# : 3))
extra=("$@")
binary=build/release/selfplay
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

play() {  # threads json
  "$binary" simulate --game "$game" --games "$games" --threads "$1" \
    --noprogress --top 0 --json "$2" "${extra[@]}" >/dev/null
}
wall() { python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['timing']['wall_s'])" "$1"; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

echo "$game ${extra[*]}, $games games per process, $repeats repeats; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= repeats; ++r)); do
  play 1 "$work/alone.json"
  play 1 "$work/first.json" & play 1 "$work/second.json"; wait
  play 2 "$work/threads.json"
  read -r alone first second threads < <(echo "$(wall "$work/alone.json")" \
    "$(wall "$work/first.json")" "$(wall "$work/second.json")" "$(wall "$work/threads.json")")
  processes=$(awk "BEGIN {m = $first > $second ? $first : $second; print 2 * $alone / m}")
  speedup=$(awk "BEGIN {print $alone / $threads}")
  echo "$processes" >>"$work/processes"; echo "$speedup" >>"$work/threads"
  printf 'repeat %d: alone %.3f s; two processes %.3f and %.3f s: throughput x%.3f; 2 threads %.3f s: x%.3f\n' \
    "$r" "$alone" "$first" "$second" "$processes" "$threads" "$speedup"
done
printf 'median: two processes x%.3f, one process with 2 threads x%.3f\n' \
  "$(median <"$work/processes")" "$(median <"$work/threads")"
