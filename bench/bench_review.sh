#!/bin/bash
# The Review view measured end to end (issue 13), with the `cassava` command line and bench_review.
#
#   bench/bench_review.sh accuracy OUT      # synthetic noise: the panel's suspects, accept all, retrain
#   bench/bench_review.sh latency OUT       # decision key -> next suspect fully shown, real photos
#
# accuracy:
#   1. cassava synth: COUNT drawn leaves at SIZE with 10 % of the labels flipped (noise_truth.csv),
#      and a separate clean held-out set of HELD leaves (another seed, no noise);
#   2. a 3-fold quick run on the noisy labels (run-noisy);
#   3. bench_review --accept-all: the suspects as the Review panel lists them at its defaults,
#      their precision and recall against noise_truth.csv; every suggestion accepted (one bulk A);
#      decisions.csv and the cleaned train.csv exported;
#   4. cassava denoise --tta 1 on the same run, for reference (must flag the same images);
#   5. the same training on the cleaned labels (--relabel decisions.csv: run-cleaned);
#   6. both runs' models on the held-out set: the fold ensemble (cassava predict --run) and each
#      fold's best.ckpt (cassava evaluate), accuracy against the true labels, and the ratio.
# latency: a 2-fold B0 run at PX px (224; 96 is the quick preset's), 1 epoch, on the 1,000 real 800x600 photos of the shared data,
#   with one picture worker (the default) and with two in parallel, alternately
#   (the heatmaps' cost is the model's input size), then 200 decisions back to back (dwell 0) and
#   200 at a curator's pace (dwell 700 ms), with confident learning (weak from-scratch models are
#   rarely 0.8 sure, so the recipe rule would flag too few).
#
# Environment: COUNT (600), SIZE (160x120), HELD (500), SEED (21), EPOCHS (quick preset's 21),
# PX (224) and DECISIONS (200) for latency, THREADS (1: torch threads and loader workers; the benchmark machine has two shared cores),
# DATA (latency: /work/shared/data/cassava-sample), BUILD (build). Everything stays under OUT;
# steps already done are kept (rerunning resumes). Prints a table at the end.
set -euo pipefail
MODE=${1:?usage: bench_review.sh accuracy|latency OUT}
OUT=${2:?usage: bench_review.sh accuracy|latency OUT}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
CASSAVA=${CASSAVA:-$BUILD/app/cassava}
BENCH=${BENCH:-$BUILD/bench/bench_review}
COUNT=${COUNT:-600}; SIZE=${SIZE:-160x120}; HELD=${HELD:-500}; SEED=${SEED:-21}
THREADS=${THREADS:-1}
export QT_QPA_PLATFORM=offscreen
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
echo "# $0 $* (COUNT=$COUNT SIZE=$SIZE HELD=$HELD SEED=$SEED EPOCHS=${EPOCHS:-preset} THREADS=$THREADS), $(date '+%Y-%m-%d %H:%M')" | tee "$OUT/command.txt"
for tool in "$CASSAVA" "$BENCH"; do
    [ -x "$tool" ] || { echo "bench_review.sh: $tool is not built (cmake --build build --target cassava bench_review)" >&2; exit 2; }
done

timed() {  # NAME COMMAND... : runs once (a NAME.seconds file marks it done), output to NAME.log
    local name=$1; shift
    if [ ! -f "$OUT/$name.seconds" ]; then
        log "$name: $*"
        local start=$(date +%s)
        "$@" > "$OUT/$name.log" 2>&1 || { echo "bench_review.sh: $name failed, see $OUT/$name.log" >&2; tail -5 "$OUT/$name.log" >&2; exit 1; }
        echo $(( $(date +%s) - start )) > "$OUT/$name.seconds"
    fi
}
seconds() { cat "$OUT/$1.seconds"; }
result() { grep '^RESULT ' "$OUT/$1.log" | tail -1 | cut -d' ' -f2-; }

if [ "$MODE" = latency ]; then
    DATA=${DATA:-/work/shared/data/cassava-sample}
    if [ ! -f "$DATA/train.csv" ]; then
        echo "bench_review.sh: the real photos are absent: no $DATA/train.csv (the shared data; set DATA)" >&2
        exit 2
    fi
    PX=${PX:-224}; DECISIONS=${DECISIONS:-200}
    timed train-latency$PX "$CASSAVA" train --data "$DATA" --out "$OUT/run-real$PX" --model b0 --size "$PX" --epochs 1 \
        --folds 2 --threads "$THREADS" --workers "$THREADS"
    # The default, one picture worker with every core, beside two in parallel with one core each,
    # alternating so that the machine's drift hits both alike.
    for dwell in 0 700; do
        for workers in 1 2; do
            timed "latency$PX-dwell$dwell-w$workers" env CASSAVA_REVIEW_WORKERS=$workers "$BENCH" --latency \
                --run "$OUT/run-real$PX" --decisions "$DECISIONS" --dwell-ms "$dwell" --method confident
        done
    done
    echo
    echo "B0 at $PX px: decision key -> next suspect complete (photo, bars, both heatmaps), keys A K 3 Del S in turn"
    printf '%-7s %-8s %8s %8s %8s %8s %8s %12s %10s %10s\n' dwell workers suspects median p90 worst painted* "made ahead" worker-med worker-max
    for dwell in 0 700; do
        for workers in 1 2; do
            python3 - "$(result "latency$PX-dwell$dwell-w$workers")" "$workers" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
c, p, w = r["key_to_complete_ms"], r["key_to_paint_ms"], r["worker_ms"]
print("%-7s %-8s %8d %8.1f %8.1f %8.1f %8.1f %7d/%-4d %10.1f %10.1f" % (
    "%d ms" % r["dwell_ms"], sys.argv[2], r["suspects"], c["median"], c["p90"], c["max"], p["median"],
    r["made_ahead"], r["decisions"], w["median"], w["max"]))
PY
        done
        python3 - "$(result "latency$PX-dwell$dwell-w1")" "$(result "latency$PX-dwell$dwell-w2")" <<'PY'
import json, sys
a, b = (json.loads(x)["key_to_complete_ms"] for x in sys.argv[1:3])
print("        2 / 1 workers: median %.2fx, worst %.2fx" % (b["median"] / a["median"], b["max"] / a["max"]))
PY
    done
    echo "(milliseconds; painted*: median key -> the photo's next paint; worker: decode + both Grad-CAMs per picture)"
    echo "training: $(seconds train-latency$PX) s"
    exit 0
fi

[ "$MODE" = accuracy ] || { echo "bench_review.sh: mode is accuracy or latency, not '$MODE'" >&2; exit 2; }
TRAIN=(--preset quick --folds 3 --threads "$THREADS" --workers "$THREADS")
[ -n "${EPOCHS:-}" ] && TRAIN+=(--epochs "$EPOCHS")

timed synth "$CASSAVA" synth --out "$OUT/noisy" --count "$COUNT" --size "$SIZE" --noise 0.1 --seed "$SEED" --threads "$THREADS"
timed synth-held "$CASSAVA" synth --out "$OUT/held" --count "$HELD" --size "$SIZE" --seed $((SEED + 1000)) --threads "$THREADS"
timed train-noisy "$CASSAVA" train --data "$OUT/noisy" --out "$OUT/run-noisy" "${TRAIN[@]}"
rm -rf "$OUT/review-export"
timed review "$BENCH" --accept-all --run "$OUT/run-noisy" --truth "$OUT/noisy/noise_truth.csv" --out "$OUT/review-export"
timed denoise "$CASSAVA" denoise --run "$OUT/run-noisy" --tta 1 --truth "$OUT/noisy/noise_truth.csv" --json \
    --out "$OUT/suspects-cli.csv"
timed train-cleaned "$CASSAVA" train --data "$OUT/noisy" --out "$OUT/run-cleaned" "${TRAIN[@]}" \
    --relabel "$OUT/review-export/decisions.csv"
for run in noisy cleaned; do
    timed "predict-$run" "$CASSAVA" predict --run "$OUT/run-$run" --images "$OUT/held/train_images" \
        --out "$OUT/held-$run.csv" --threads "$THREADS" --workers "$THREADS"
    for fold in 0 1 2; do
        timed "evaluate-$run-$fold" "$CASSAVA" evaluate --model "$OUT/run-$run/fold_$fold/best.ckpt" --data "$OUT/held" --json
    done
done

python3 - "$OUT" "$(result review)" <<'PY'
import csv, json, sys
out, panel = sys.argv[1], json.loads(sys.argv[2])
def log_json(name):  # the JSON object a command printed (after any progress lines)
    text = open(f"{out}/{name}.log").read()
    return json.loads(text[text.index("{"):])
cli = log_json("denoise")
truth = {r["image_id"]: r["label"] for r in csv.DictReader(open(f"{out}/held/train.csv"))}
def ensemble(run):
    rows = list(csv.DictReader(open(f"{out}/held-{run}.csv")))
    return sum(truth[r["image_id"]] == r["label"] for r in rows) / len(rows)
def folds(run):
    return [log_json(f"evaluate-{run}-{k}")["accuracy"] for k in range(3)]
oof = list(csv.DictReader(open(f"{out}/run-noisy/oof.csv")))
oof_acc = sum(int(r["label"]) == max(range(5), key=lambda c: float(r[f"p{c}"])) for r in oof) / len(oof)
decisions = list(csv.DictReader(open(f"{out}/review-export/decisions.csv")))
noise = {r["image_id"]: r for r in csv.DictReader(open(f"{out}/noisy/noise_truth.csv"))}
fixed = sum(noise[d["image_id"]]["true_label"] == d["label"] for d in decisions)
broken = sum(noise[d["image_id"]]["true_label"] == noise[d["image_id"]]["given_label"] for d in decisions)
flipped_before = sum(r["true_label"] != r["given_label"] for r in noise.values())
flipped_after = sum(1 for r in csv.DictReader(open(f"{out}/review-export/train.csv")) if noise[r["image_id"]]["true_label"] != r["label"])
t = panel["against_truth"]; c = cli["against_truth"]
print()
print(f"out-of-fold accuracy of the noisy run against its (noisy) labels: {oof_acc:.3f} over {len(oof)} images")
print(f"{'suspects':<34} {'flagged':>7} {'flipped':>7} {'found':>6} {'precision':>9} {'recall':>7} {'F1':>6}")
print(f"{'Review panel (' + panel['method'] + ' >= %.2f)' % panel['threshold']:<34} {t['flagged']:>7} {t['flipped']:>7} "
      f"{t['true_positives']:>6} {t['precision']:>9.3f} {t['recall']:>7.3f} {t['f1']:>6.3f}")
print(f"{'cassava denoise --tta 1':<34} {c['flagged']:>7} {c['flipped']:>7} {c['true_positives']:>6} "
      f"{c['precision']:>9.3f} {c['recall']:>7.3f} {c['f1']:>6.3f}")
same = [r["image_id"] for r in csv.DictReader(open(f"{out}/suspects-cli.csv"))]
print(f"same images as the panel: {'yes' if panel['panel_equals_findSuspects'] and set(same) == {d['image_id'] for d in decisions} else 'NO'}")
print(f"accept all: {len(decisions)} suggestions accepted in {panel['undo_steps']} undo step; {fixed} now carry the true "
      f"label, {broken} correct labels were changed; flipped labels in train.csv: {flipped_before} -> {flipped_after}")
print()
e = {run: ensemble(run) for run in ("noisy", "cleaned")}
f = {run: folds(run) for run in ("noisy", "cleaned")}
print(f"held-out accuracy ({len(truth)} clean images)  {'noisy labels':>12} {'cleaned':>8} {'ratio':>6}")
print(f"{'fold ensemble (cassava predict --run)':<40} {e['noisy']:>12.3f} {e['cleaned']:>8.3f} {e['cleaned'] / e['noisy']:>6.3f}")
mn, mc = sum(f['noisy']) / 3, sum(f['cleaned']) / 3
print(f"{'mean of the 3 fold models (evaluate)':<40} {mn:>12.3f} {mc:>8.3f} {mc / mn:>6.3f}")
print(f"{'  per fold':<40} {' '.join('%.3f' % a for a in f['noisy']):>12}   {' '.join('%.3f' % a for a in f['cleaned'])}")
PY
echo
for step in synth synth-held train-noisy review denoise train-cleaned predict-noisy predict-cleaned; do
    printf '%s %s s; ' "$step" "$(seconds $step)"
done
echo
