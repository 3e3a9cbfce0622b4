#!/bin/bash
# Training in the GUI process against training in the CLI, on the same settings: `cassava train`
# (the quick preset, B0 at 96 px, 400 real photos, 3 epochs), then `cassava-studio --train` of the
# same config.json with its dashboard live (under Xvfb when there is one), then the CLI again.
# Prints each run's training images/s (epochs 2..3, from metrics.jsonl) and GUI / CLI as a ratio.
#
#   bench/bench_train_gui.sh [OUT]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$HERE/../build}
CASSAVA=${CASSAVA:-$BUILD/app/cassava}
STUDIO=${STUDIO:-$BUILD/app/cassava-studio}
DATA=${DATA:-$HERE/../../shared/data/cassava-sample}
OUT=${1:-/tmp/bench_train_gui}
if [ ! -f "$DATA/train.csv" ]; then
    echo "reference photos absent: $DATA (see ../shared/data/README.md); benchmark skipped"
    exit 0
fi
rm -rf "$OUT"; mkdir -p "$OUT"
export XDG_CONFIG_HOME=$OUT/xdg-config XDG_DATA_HOME=$OUT/xdg-data XDG_CACHE_HOME=$OUT/xdg-cache
rate() {  # RUN: mean images/s of the epochs after the first (its cache fills in epoch 1)
    /usr/bin/python3 - "$1/metrics.jsonl" <<'PY'
import json, sys
e = [json.loads(l) for l in open(sys.argv[1]) if '"epoch"' in l]
e = [x for x in e if x.get("type") == "epoch" and x["epoch"] >= 1]
print("%.2f" % (sum(x["images_per_s"] for x in e) / len(e)))
PY
}
cli() { "$CASSAVA" train --preset quick --data "$DATA" --limit 400 --epochs 3 --out "$1" > "$1.log" 2>&1; }
cli "$OUT/cli-1"
/usr/bin/python3 - "$OUT/cli-1/config.json" "$OUT/gui/" "$OUT/gui.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["out"] = sys.argv[2].rstrip("/")
json.dump(c, open(sys.argv[3], "w"), indent=2)
PY
if command -v xvfb-run > /dev/null; then
    xvfb-run -a -s "-screen 0 1400x900x24" "$STUDIO" --train "$OUT/gui.json" --quit-when-done > "$OUT/gui.log" 2>&1
else
    QT_QPA_PLATFORM=offscreen "$STUDIO" --train "$OUT/gui.json" --quit-when-done > "$OUT/gui.log" 2>&1
fi
cli "$OUT/cli-2"
c1=$(rate "$OUT/cli-1"); g=$(rate "$OUT/gui"); c2=$(rate "$OUT/cli-2")
printf "%-28s %10s\n" "run" "images/s"
printf "%-28s %10s\n" "cassava train (before)" "$c1" "cassava-studio --train" "$g" "cassava train (after)" "$c2"
printf "GUI / CLI: %.2fx\n" "$(echo "$g / (($c1 + $c2) / 2)" | bc -l)"
