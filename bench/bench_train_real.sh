#!/bin/bash
# k-fold training on real photos, `cassava train` beside the same recipe in PyTorch
# (bench/reference_train.py: torchvision's efficientnet_b0, PIL, torchvision transforms, DataLoader
# with as many workers as cores), same data, folds, epochs, size, batch, schedule and augmentation.
# Prints both OOF accuracies, both wall times and the ratio.
#
#   bench/bench_train_real.sh OUT [train options...]
# e.g.
#   bench/bench_train_real.sh /tmp/real5 --preset quick --folds 5 --epochs 4
set -euo pipefail
HERE=$(dirname "$0")
CASSAVA=${CASSAVA:-$HERE/../build/app/cassava}
DATA=${DATA:-$HERE/../../shared/data/cassava-sample}
OUT=$1; shift
if [ ! -f "$DATA/train.csv" ]; then
    echo "reference photos absent: $DATA (see ../shared/data/README.md); benchmark skipped"
    exit 0
fi
mkdir -p "$OUT"
start=$(date +%s.%N)
"$CASSAVA" train --data "$DATA" --out "$OUT/cpp" "$@" > "$OUT/cpp.log" 2>&1
cpp=$(echo "$(date +%s.%N) - $start" | bc)
# The workers and threads Python gets are the cores, as cassava's defaults.
/usr/bin/python3 "$HERE/reference_train.py" --run "$OUT/cpp" > "$OUT/python.log" 2>&1
python3 - "$OUT" "$cpp" <<'PY'
import json, sys
out, cpp_seconds = sys.argv[1], float(sys.argv[2])
cpp = json.load(open(out + "/cpp/summary.json"))
py = json.loads(open(out + "/python.log").read().strip().splitlines()[-1])
rss = [json.loads(l).get("rss_mb") for l in open(out + "/cpp/metrics.jsonl") if '"epoch"' in l and '"rss_mb"' in l]
print("             OOF accuracy   per class                              wall time")
print("cassava      %.4f         %s   %6.0f s" % (cpp["oof_accuracy"], " ".join("%.3f" % a for a in cpp["per_class_accuracy"]), cpp_seconds))
print("PyTorch      %.4f         %s   %6.0f s" % (py["oof_accuracy"], " ".join("%.3f" % a for a in py["per_class_accuracy"]), py["seconds"]))
print("ratio (PyTorch time / cassava time): %.2fx" % (py["seconds"] / cpp_seconds))
print("cassava resident memory at the end of each epoch (MB): %s" % " ".join("%.0f" % r for r in rss if r))
PY
