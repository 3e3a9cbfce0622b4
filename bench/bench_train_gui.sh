#!/bin/bash
# Training in the GUI process against training in the CLI, on the same settings: `cassava train`
# (the quick preset, B0 at 96 px, 400 real photos, 3 epochs) and `cassava-studio --train` of the
# same config.json with its dashboard live (under Xvfb when there is one), alternating. Prints each
# run's training images/s (epochs 2..3, from metrics.jsonl) and GUI / CLI per round and median.
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
cli() { /usr/bin/time -f "%U %S" -o "$1.time" "$CASSAVA" train --preset quick --data "$DATA" --limit 400 --epochs 3 --out "$1" > "$1.log" 2>&1; }
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
# The machine's speed drifts over minutes (a shared VM): CLI and GUI runs alternate, each GUI run is
# compared with the mean of the CLI runs just before and after it, in images/s (wall) and in CPU
# seconds of the whole process (the same work costs the same CPU however fast the clock runs).
ROUNDS=${ROUNDS:-3}
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
cli "$OUT/cli-0"
printf "%-6s %11s %9s %11s %8s   %11s %9s %11s %8s\n" "round" "CLI img/s" "GUI" "CLI after" "GUI/CLI" \
    "CLI cpu-s" "GUI" "CLI after" "GUI/CLI"
speed=(); cost=()
for r in $(seq 1 "$ROUNDS"); do
    gui "$OUT/gui-$r"
    cli "$OUT/cli-$r"
    b=$(rate "$OUT/cli-$((r - 1))"); g=$(rate "$OUT/gui-$r"); a=$(rate "$OUT/cli-$r")
    cb=$(cpu "$OUT/cli-$((r - 1))"); cg=$(cpu "$OUT/gui-$r"); ca=$(cpu "$OUT/cli-$r")
    s=$(echo "$g / (($b + $a) / 2)" | bc -l); c=$(echo "$cg / (($cb + $ca) / 2)" | bc -l)
    speed+=("$s"); cost+=("$c")
    printf "%-6s %11s %9s %11s %7.2fx   %11s %9s %11s %7.2fx\n" "$r" "$b" "$g" "$a" "$s" "$cb" "$cg" "$ca" "$c"
done
printf "median over %d rounds: GUI / CLI images/s %.2fx; GUI / CLI CPU seconds %.2fx\n" "$ROUNDS" \
    "$(printf "%s\n" "${speed[@]}" | median)" "$(printf "%s\n" "${cost[@]}" | median)"
