#!/bin/sh
# The memory measurement of RELIABILITY.md ("Memory"): peak resident memory (the kernel's
# ru_maxrss, through GNU time) of
#   - `cassava inspect` and the GUI (its screenshot tour: every view opened once) over the full
#     competition train.csv, 21,397 rows, beside the same over the 1,000-row sample (the baseline);
#   - `cassava diagnose --cam` of a 50-megapixel JPEG and PNG beside a 64x48 photo (the baseline),
#     and a 61-megapixel photo, refused by its header before decoding.
# Each line gives both numbers and their ratio.
#   bench/bench_memory.sh [BUILD_DIR]      (needs ../shared/data, /usr/bin/time and ImageMagick)
set -eu
build=${1:-build}
shared=$(dirname "$0")/../../shared/data
[ -f "$shared/kaggle_train_full.csv" ] || { echo "reference data absent: $shared (see its README)"; exit 1; }
work=${TMPDIR:-/tmp}/bench-memory
rm -rf "$work"
mkdir -p "$work/full/train_images" "$work/out"
cli=$build/app/cassava
studio=$build/app/cassava-studio

# 21,397 rows: the competition's train.csv, each image a hard link to one of the 1,000 real photos.
cp "$shared/kaggle_train_full.csv" "$work/full/train.csv"
cp "$shared/cassava-sample/label_num_to_disease_map.json" "$work/full/"
ls "$shared/cassava-sample/train_images" > "$work/photos"
awk 'NR == FNR { p[n++] = $0; next } FNR > 1 { split($0, f, ","); print f[1] "\t" p[(FNR - 2) % n] }' \
    "$work/photos" "$work/full/train.csv" > "$work/links"
src=$shared/cassava-sample/train_images
while IFS="$(printf '\t')" read -r id photo; do
    ln "$src/$photo" "$work/full/train_images/$id" 2>/dev/null || cp "$src/$photo" "$work/full/train_images/$id"
done < "$work/links"

peak() {  # peak RSS in MB of a command
    /usr/bin/time -f %M -o "$work/rss" "$@" > "$work/out/last" 2>&1 || true
    echo $(( $(tail -1 "$work/rss") / 1024 ))
}
line() {  # what, ours, baseline
    awk -v w="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%-44s %6d MB  baseline %6d MB  ratio %.2f\n", w, a, b, a / b }'
}

a=$(peak "$cli" inspect "$work/full"); b=$(peak "$cli" inspect "$shared/cassava-sample")
line "cassava inspect, 21,397 rows vs 1,000" "$a" "$b"
if [ -x "$studio" ]; then
    a=$(peak env QT_QPA_PLATFORM=offscreen "$studio" "$work/full" --tour "$work/tour-full")
    b=$(peak env QT_QPA_PLATFORM=offscreen "$studio" "$shared/cassava-sample" --tour "$work/tour-sample")
    line "cassava-studio tour, 21,397 rows vs 1,000" "$a" "$b"
fi

# A model to diagnose with: one epoch on 30 drawn leaves.
"$cli" synth --out "$work/leaves" --count 30 --size 64x48 --seed 11 > /dev/null
"$cli" train --data "$work/leaves" --out "$work/run" --size 32 --epochs 1 --val-split 0.25 --batch 8 \
    --threads 1 --workers 1 --no-augment > /dev/null 2>&1
model=$work/run/fold_0/best.ckpt
small=$work/leaves/train_images/synth_000000.jpg
convert "$small" -resize 8660x5774! -quality 90 "$work/camera.jpg"
convert "$small" -resize 8660x5774! -define png:compression-level=1 "$work/camera.png"
convert "$small" -resize 9600x6400! -quality 50 "$work/panorama.jpg"
b=$(peak "$cli" diagnose --model "$model" --cam "$work/cams" "$small")
a=$(peak "$cli" diagnose --model "$model" --cam "$work/cams" "$work/camera.jpg")
line "diagnose --cam, 50-MP JPEG vs 64x48" "$a" "$b"
a=$(peak "$cli" diagnose --model "$model" --cam "$work/cams" "$work/camera.png")
line "diagnose --cam, 50-MP PNG vs 64x48" "$a" "$b"
a=$(peak "$cli" diagnose --model "$model" "$work/panorama.jpg")
line "diagnose, 61-MP JPEG (refused) vs 64x48" "$a" "$b"
grep -o "panorama.jpg: .*limit" "$work/out/last" || true
