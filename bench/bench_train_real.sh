#!/bin/bash
# k-fold training on real photos, `cassava train` beside the same recipe in PyTorch
# (bench/reference_train.py: torchvision's efficientnet_b0, PIL, torchvision transforms, DataLoader
# with as many workers as cores), same data, folds, epochs, size, batch, schedule and augmentation.
# Prints both OOF accuracies, both wall times and the ratio.
#
#   bench/bench_train_real.sh OUT [train options...]
# e.g.
#   bench/bench_train_real.sh /tmp/real5 --preset quick --folds 5 --epochs 4
#
# ROUNDS=2 runs each side twice in the order cassava, PyTorch, PyTorch, cassava, so that a slow
# stretch of a shared machine that drifts over the run weighs on both sides alike; the ratio is then
# of the summed wall times.
set -euo pipefail
HERE=$(dirname "$0")
CASSAVA=${CASSAVA:-$HERE/../build/app/cassava}
DATA=${DATA:-$HERE/../../shared/data/cassava-sample}
ROUNDS=${ROUNDS:-1}
OUT=$1; shift
if [ ! -f "$DATA/train.csv" ]; then
    echo "reference photos absent: $DATA (see ../shared/data/README.md); benchmark skipped"
    exit 0
fi
case $ROUNDS in
    1) order="cpp python" ;;
    2) order="cpp python python cpp" ;;
    *) echo "ROUNDS must be 1 or 2" >&2; exit 2 ;;
esac
mkdir -p "$OUT"
: > "$OUT/times"
n_cpp=0; n_python=0
for side in $order; do
    start=$(date +%s.%N)
    if [ "$side" = cpp ]; then
        dir=$OUT/cpp$( [ $n_cpp -gt 0 ] && echo "-$n_cpp" || true)
        "$CASSAVA" train --data "$DATA" --out "$dir" "$@" > "$dir.log" 2>&1
        n_cpp=$((n_cpp + 1))
    else
        # The workers and threads Python gets are the cores, as cassava's defaults; the first
        # cassava run's config.json and folds.csv say what to train.
        log=$OUT/python$( [ $n_python -gt 0 ] && echo "-$n_python" || true).log
        /usr/bin/python3 "$HERE/reference_train.py" --run "$OUT/cpp" > "$log" 2>&1
        dir=${log%.log}
        n_python=$((n_python + 1))
    fi
    echo "$side $dir $(echo "$(date +%s.%N) - $start" | bc)" >> "$OUT/times"
done
python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
runs = [line.split() for line in open(out + "/times")]
def result(side, path):
    if side == "cpp":
        return json.load(open(path + "/summary.json"))
    return json.loads(open(path + ".log").read().strip().splitlines()[-1])
print("             OOF accuracy   per class                              wall time")
totals = {"cpp": 0.0, "python": 0.0}
for side, path, seconds in runs:
    r = result(side, path)
    totals[side] += float(seconds)
    print("%-12s %.4f         %s   %6.0f s" % ("cassava" if side == "cpp" else "PyTorch", r["oof_accuracy"],
          " ".join("%.3f" % a for a in r["per_class_accuracy"]), float(seconds)))
print("ratio (PyTorch time / cassava time%s): %.2fx"
      % (", summed" if len(runs) > 2 else "", totals["python"] / totals["cpp"]))
for side, path, _ in runs:
    if side != "cpp":
        continue
    rss = [json.loads(l).get("rss_mb") for l in open(path + "/metrics.jsonl") if '"epoch"' in l and '"rss_mb"' in l]
    print("%s resident memory at the end of each epoch (MB): %s" % (path, " ".join("%.0f" % r for r in rss if r)))
PY
