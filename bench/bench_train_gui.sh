#!/bin/bash
# Training in the GUI process against training in the CLI, on the same settings: `cassava train`
# (the quick preset, B0 at 96 px, 400 real photos, 3 epochs, 1 thread) and `cassava-studio --train`
# of the same config.json with its dashboard live (under Xvfb when there is one), side by side.
# Prints each run's training images/s (epochs 2..3, from metrics.jsonl), the CPU seconds of each
# whole process, and GUI / CLI per round and the median.
#
#   ROUNDS=3 bench/bench_train_gui.sh [OUT]
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
cpu() { awk '{print $1 + $2}' "$1.time"; }  # RUN: CPU seconds (user + system) of the whole process
cli() { /usr/bin/time -f "%U %S" -o "$1.time" "$CASSAVA" train --preset quick --data "$DATA" --limit 400 --epochs 3 \
            --threads 1 --workers 1 --out "$1" > "$1.log" 2>&1; }
gui() {
    /usr/bin/python3 - "$OUT/cli-0/config.json" "$1" "$1.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); c["out"] = sys.argv[2]
json.dump(c, open(sys.argv[3], "w"), indent=2)
PY
    if command -v xvfb-run > /dev/null; then
        /usr/bin/time -f "%U %S" -o "$1.time" xvfb-run -a -s "-screen 0 1400x900x24" "$STUDIO" --train "$1.json" --quit-when-done > "$1.log" 2>&1
    else
        QT_QPA_PLATFORM=offscreen /usr/bin/time -f "%U %S" -o "$1.time" "$STUDIO" --train "$1.json" --quit-when-done > "$1.log" 2>&1
    fi
}
# This machine's speed drifts by up to 4x over minutes (a shared VM), so runs one after another
# compare the weather, not the programs. The GUI and the CLI train side by side instead, at the
# same moment, one core each (1 torch thread, 1 loader thread: the same settings for both), so a
# slow minute slows both.
ROUNDS=${ROUNDS:-3}
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
cli "$OUT/cli-0"  # writes the config.json both then use
printf "%-6s %10s %10s %8s   %10s %10s %8s\n" "round" "CLI img/s" "GUI img/s" "GUI/CLI" "CLI cpu-s" "GUI cpu-s" "GUI/CLI"
speed=(); cost=()
for r in $(seq 1 "$ROUNDS"); do
    cli "$OUT/cli-$r" & gui "$OUT/gui-$r"; wait
    c=$(rate "$OUT/cli-$r"); g=$(rate "$OUT/gui-$r"); cc=$(cpu "$OUT/cli-$r"); cg=$(cpu "$OUT/gui-$r")
    s=$(echo "$g / $c" | bc -l); k=$(echo "$cg / $cc" | bc -l)
    speed+=("$s"); cost+=("$k")
    printf "%-6s %10s %10s %7.2fx   %10s %10s %7.2fx\n" "$r" "$c" "$g" "$s" "$cc" "$cg" "$k"
done
printf "median over %d rounds: GUI / CLI images/s %.2fx; GUI / CLI CPU seconds %.2fx\n" "$ROUNDS" \
    "$(printf "%s\n" "${speed[@]}" | median)" "$(printf "%s\n" "${cost[@]}" | median)"
