#!/bin/bash
# `cassava train` on the real photos with glibc's malloc as it comes against cassava's policy of
# keeping freed memory for reuse (core/MallocPolicy.h), alternating A B A B in one run. Folds 0 and
# 1 of a 5-fold split, 3 epochs each, quick preset. Prints wall time, fold 0's and fold 1's mean
# epoch time, peak resident memory and minor page faults, and the ratio of the summed wall times.
#
#   bench/bench_malloc_policy.sh OUT
set -euo pipefail
HERE=$(dirname "$0")
CASSAVA=${CASSAVA:-$HERE/../build/app/cassava}
DATA=${DATA:-$HERE/../../shared/data/cassava-sample}
OUT=$1
if [ ! -f "$DATA/train.csv" ]; then
    echo "reference photos absent: $DATA (see ../shared/data/README.md); benchmark skipped"
    exit 0
fi
mkdir -p "$OUT"
# Any malloc variable of the user's own turns the policy off; this one keeps glibc's default.
glibc_default="MALLOC_ARENA_MAX=$((8 * $(nproc)))"
for round in 1 2; do
    for variant in glibc kept; do
        run=$OUT/$variant-$round
        rm -rf "$run"
        env_=()
        [ $variant = glibc ] && env_=("$glibc_default")
        start=$(date +%s.%N)
        env ${env_[@]+"${env_[@]}"} /usr/bin/time -v "$CASSAVA" train --preset quick --folds 5 --run-folds 0,1 --epochs 3 \
            --data "$DATA" --out "$run" > "$run.log" 2>&1
        echo "$variant $run $(echo "$(date +%s.%N) - $start" | bc)" >> "$OUT/times"
    done
done
python3 - "$OUT" <<'PY'
import json, re, sys
out = sys.argv[1]
total = {"glibc": 0.0, "kept": 0.0}
print("malloc                         wall   fold 0 epoch  fold 1 epoch  peak RSS   minor faults")
for line in open(out + "/times"):
    variant, run, seconds = line.split()
    total[variant] += float(seconds)
    epochs = [json.loads(l) for l in open(run + "/metrics.jsonl") if '"val_loss"' in l]
    mean = lambda f: sum(e["seconds"] for e in epochs if e["fold"] == f) / max(1, sum(1 for e in epochs if e["fold"] == f))
    log = open(run + ".log").read()
    faults = int(re.search(r"Minor \(reclaiming a frame\) page faults: (\d+)", log).group(1))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", log).group(1)) / 1024
    name = "glibc's defaults" if variant == "glibc" else "keeps freed memory (ours)"
    print("%-28s %6.0f s   %8.1f s    %8.1f s   %5.0f MB   %12d" % (name, float(seconds), mean(0), mean(1), rss, faults))
print("ratio (glibc's defaults / keeps freed memory, summed wall time): %.2fx" % (total["glibc"] / total["kept"]))
PY
