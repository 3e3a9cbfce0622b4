#!/bin/bash
# How LibTorch's OpenMP threads wait, measured where it matters: a short `cassava train` (B0, the
# quick preset's 96 px, 400 real photos, 3 epochs) alone, and two of them at once (the cores
# shared), for each policy. Prints wall times and the ratio to OMP_WAIT_POLICY=PASSIVE.
#
#   bench/bench_wait_policy.sh [OUT]
set -euo pipefail
HERE=$(dirname "$0")
CASSAVA=${CASSAVA:-$HERE/../build/app/cassava}
DATA=${DATA:-$HERE/../../shared/data/cassava-sample}
OUT=${1:-/tmp/bench_wait_policy}
if [ ! -f "$DATA/train.csv" ]; then
    echo "reference photos absent: $DATA (see ../shared/data/README.md); benchmark skipped"
    exit 0
fi
mkdir -p "$OUT"
train() {  # OUTDIR ENV...
    local dir=$1; shift
    rm -rf "$dir"
    env "$@" "$CASSAVA" train --preset quick --data "$DATA" --limit 400 --epochs 3 --out "$dir" > "$dir.log" 2>&1
}
seconds() { local s=$(date +%s.%N); "$@"; echo "$(date +%s.%N) - $s" | bc; }
both() { train "$OUT/a" "$@" & train "$OUT/b" "$@"; wait; }
printf "%-38s %12s %12s\n" "policy" "alone (s)" "two at once"
declare -A alone shared
for policy in "OMP_WAIT_POLICY=PASSIVE" "OMP_WAIT_POLICY=ACTIVE GOMP_SPINCOUNT=1000" \
              "OMP_WAIT_POLICY=ACTIVE GOMP_SPINCOUNT=10000" "OMP_WAIT_POLICY=ACTIVE GOMP_SPINCOUNT=300000"; do
    # shellcheck disable=SC2086
    alone[$policy]=$(seconds train "$OUT/a" $policy)
    # shellcheck disable=SC2086
    shared[$policy]=$(seconds both $policy)
    printf "%-38s %12.1f %12.1f\n" "$policy" "${alone[$policy]}" "${shared[$policy]}"
done
echo "speed vs PASSIVE (PASSIVE time / this time):"
for policy in "${!alone[@]}"; do
    printf "%-38s alone %.2fx   two at once %.2fx\n" "$policy" \
        "$(echo "${alone[OMP_WAIT_POLICY=PASSIVE]} / ${alone[$policy]}" | bc -l)" \
        "$(echo "${shared[OMP_WAIT_POLICY=PASSIVE]} / ${shared[$policy]}" | bc -l)"
done
