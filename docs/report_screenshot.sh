#!/usr/bin/env bash
# Renders the HTML report of a checkers run in headless Chromium (Debian's
# `chromium` package) and saves the screenshot the README shows.
#
#   docs/report_screenshot.sh [GAMES] [PNG]
#   e.g. docs/report_screenshot.sh 2000 docs/report.png
set -euo pipefail
cd "$(dirname "$0")/.."
games=${1:-2000} png=${2:-docs/report.png}
binary=${SELFPLAY:-build/release/selfplay}
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $browser ]]; then
  echo "report_screenshot.sh: needs Chromium (apt-get install chromium)" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$binary" simulate --game checkers --games "$games" --threads 0 --seed 1 \
  --noprogress --top 15 --report "$work/report.html" >/dev/null
# --no-sandbox: Chromium refuses to run as root with its sandbox.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --force-device-scale-factor=1 --window-size=1120,1200 \
  --screenshot="$work/report.png" "file://$work/report.html" 2>/dev/null
cp "$work/report.png" "$png"
echo "wrote $png"
