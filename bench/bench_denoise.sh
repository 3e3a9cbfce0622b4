#!/bin/bash
# Label denoising measured against known noise, end to end with the `cassava` command line:
#   1. flip a recorded fraction of a dataset's labels (cassava flip-labels, noise_truth.csv);
#   2. keep a stratified test set aside with its TRUE labels (never trained on);
#   3. k-fold training on the rest, noisy labels (run A);
#   4. cassava denoise with TTA, both methods: precision, recall, F1 of the flagged set against the
#      flipped set;
#   5. retrain with the recipe's suspects excluded (run B) and with the confident-learning suspects
#      excluded (run C); RETRAIN=best retrains only with the method of the higher F1, RETRAIN=none
#      skips retraining;
#   6. accuracy of each run's fold ensemble on the test set, against the true labels.
#
#   bench/bench_denoise.sh DATA OUT FRACTION [train options...]
# e.g.
#   build/app/cassava synth --out synth-clean --count 600 --seed 21
#   bench/bench_denoise.sh synth-clean results/synth-10 0.1 --size 96 --folds 4 --epochs 8
# Prints one JSON line per step and a summary table; everything stays under OUT.
set -euo pipefail
CASSAVA=${CASSAVA:-$(dirname "$0")/../build/app/cassava}
DATA=$1; OUT=$2; FRACTION=$3; shift 3
TRAIN_OPTIONS=("--preset" "quick" "$@")
SEED=${SEED:-7}
RETRAIN=${RETRAIN:-both}
mkdir -p "$OUT"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

NOISY=$OUT/noisy
[ -d "$NOISY" ] || "$CASSAVA" flip-labels --data "$DATA" --out "$NOISY" --fraction "$FRACTION" --seed "$SEED" >&2

# A stratified fifth of the images, with their true labels, is the test set.
"$CASSAVA" split "$DATA" --val-split 0.2 --seed "$SEED" --out "$OUT/test-split.csv" >&2
awk -F, 'NR == 1 { print "image_id"; next } $2 == 1 { print $1 }' "$OUT/test-split.csv" > "$OUT/test.csv"

run_train() {  # NAME EXCLUDE...
    local name=$1; shift
    if [ ! -f "$OUT/$name/summary.json" ]; then
        log "training $name"
        local start=$(date +%s)
        "$CASSAVA" train --data "$NOISY" --out "$OUT/$name" "${TRAIN_OPTIONS[@]}" --exclude "$1" > "$OUT/$name.log" 2>&1
        echo $(( $(date +%s) - start )) > "$OUT/$name.seconds"
    fi
}

ensemble_accuracy() {  # RUN -> accuracy of its fold ensemble on the test set against the true labels
    "$CASSAVA" predict --run "$1" --images "$NOISY/train_images" --sample "$OUT/test.csv" \
        --out "$1/test-predictions.csv" >&2
    python3 - "$1/test-predictions.csv" "$DATA/train.csv" <<'PY'
import csv, sys
truth = {r["image_id"]: r["label"] for r in csv.DictReader(open(sys.argv[2]))}
rows = list(csv.DictReader(open(sys.argv[1])))
print("%.4f" % (sum(truth[r["image_id"]] == r["label"] for r in rows) / len(rows)))
PY
}

run_train run-noisy "$OUT/test.csv"
log "denoising"
"$CASSAVA" denoise --run "$OUT/run-noisy" --data "$NOISY" --tta 2 --method recipe --out "$OUT/suspects-recipe.csv" \
    --save-oof "$OUT/oof-tta2.csv" --truth "$NOISY/noise_truth.csv" --json > "$OUT/denoise-recipe.json"
"$CASSAVA" denoise --oof "$OUT/oof-tta2.csv" --method confident --out "$OUT/suspects-confident.csv" \
    --truth "$NOISY/noise_truth.csv" --json > "$OUT/denoise-confident.json"

f1() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["against_truth"]["f1"])' "$1"; }
case "$RETRAIN" in
    both) METHODS="recipe confident" ;;
    none) METHODS="" ;;
    best) METHODS=$(python3 -c 'import sys; print("recipe" if float(sys.argv[1]) >= float(sys.argv[2]) else "confident")' \
                    "$(f1 "$OUT/denoise-recipe.json")" "$(f1 "$OUT/denoise-confident.json")") ;;
esac
for method in $METHODS; do
    python3 - "$OUT/test.csv" "$OUT/suspects-$method.csv" > "$OUT/exclude-$method.csv" <<'PY'
import csv, sys
ids = [r["image_id"] for r in csv.DictReader(open(sys.argv[1]))]
ids += [r["image_id"] for r in csv.DictReader(open(sys.argv[2]))]
print("image_id")
print("\n".join(ids))
PY
    run_train "run-cleaned-$method" "$OUT/exclude-$method.csv"
done

log "test-set accuracy"
accuracy_of() { if [ -d "$OUT/$1" ]; then ensemble_accuracy "$OUT/$1"; else echo nan; fi; }
A=$(accuracy_of run-noisy)
B=$(accuracy_of run-cleaned-recipe)
C=$(accuracy_of run-cleaned-confident)
python3 - "$OUT" "$A" "$B" "$C" <<'PY'
import json, math, os, sys
out, a, b, c = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
rec = json.load(open(out + "/denoise-recipe.json"))
con = json.load(open(out + "/denoise-confident.json"))
summary = json.load(open(out + "/run-noisy/summary.json"))
def secs(n):
    p = "%s/%s.seconds" % (out, n)
    return int(open(p).read()) if os.path.exists(p) else None
result = {"oof_accuracy_vs_given_labels": summary.get("oof_accuracy"),
          "recipe": rec["against_truth"], "confident": con["against_truth"],
          "test_accuracy": {"noisy": a, "cleaned_recipe": b, "cleaned_confident": c},
          "seconds": {"noisy": secs("run-noisy"), "cleaned_recipe": secs("run-cleaned-recipe"),
                      "cleaned_confident": secs("run-cleaned-confident")}}
json.dump(result, open(out + "/result.json", "w"), indent=2)
print(json.dumps(result))
print("method     flagged  flipped  precision  recall   F1     test accuracy after retraining (noisy labels: %.3f)" % a)
for name, r, acc in (("recipe", rec["against_truth"], b), ("confident", con["against_truth"], c)):
    after = "not retrained" if math.isnan(acc) else "%.3f (%+.3f)" % (acc, acc - a)
    print("%-10s %7d  %7d  %9.3f  %6.3f  %5.3f  %s" % (name, r["flagged"], r["flipped"], r["precision"],
          r["recall"], r["f1"], after))
PY
