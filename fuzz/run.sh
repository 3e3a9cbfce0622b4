#!/bin/bash
# Runs every libFuzzer target for SECONDS each on a corpus seeded by fuzz_seeds (generated, no
# photos), and prints one line per target: executions, coverage (libFuzzer's cov: edges), corpus
# size, and whether it found a crash (the reproducer is kept under OUT/TARGET/crashes).
#   fuzz/run.sh BUILD_DIR SECONDS [OUT] [TARGET...]
# e.g. CXX=clang++ cmake -S fuzz -B build-fuzz && cmake --build build-fuzz -j2 && fuzz/run.sh build-fuzz 600
set -uo pipefail
BUILD=${1:?usage: run.sh BUILD_DIR SECONDS [OUT] [TARGET...]}
SECONDS_EACH=${2:?usage: run.sh BUILD_DIR SECONDS [OUT] [TARGET...]}
OUT=${3:-$BUILD/campaign}
shift $(( $# < 3 ? $# : 3 ))
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
    TARGETS=(csv dataset image run_files journal zip)
    [ -x "$BUILD/fuzz_torch_save" ] && TARGETS+=(torch_save checkpoint)  # built where LibTorch is
fi
mkdir -p "$OUT"
"$BUILD/fuzz_seeds" "$OUT/seeds" > /dev/null || exit 1
if [ -x "$BUILD/torch_seeds" ]; then "$BUILD/torch_seeds" "$OUT/seeds" > /dev/null || exit 1; fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
printf '%-10s %8s %12s %8s %8s %s\n' target seconds executions "cov" corpus result
for t in "${TARGETS[@]}"; do
    corpus="$OUT/$t/corpus" crashes="$OUT/$t/crashes"
    mkdir -p "$corpus" "$crashes"
    cp -n "$OUT/seeds/$t/"* "$corpus/" 2>/dev/null
    log="$OUT/$t/fuzz.log"
    # The LibTorch targets run without leak detection, for two reasons outside our code: LibTorch
    # 1.13's PyTorchStreamReader leaks miniz's reader state (about 0.5 KB) when its constructor
    # throws on a damaged zip (mz_zip_reader_init succeeded, a later check throws, no destructor
    # runs; our readers refuse what they can recognise first, not all of it; RELIABILITY.md shows
    # the stack), and libFuzzer's per-input leak check, set off by LibTorch's lazily filled caches,
    # scans its 340 MB heap after most inputs. ASan's memory errors and UBSan stay on.
    asan=$ASAN_OPTIONS leaks=()
    case $t in torch_save|checkpoint) asan=$ASAN_OPTIONS:detect_leaks=0 leaks=(-detect_leaks=0) ;; esac
    # The inputs that once crashed (fuzz/regressions/TARGET), run once each first.
    regressions=("$(dirname "$0")/regressions/$t/"*)
    if [ -e "${regressions[0]}" ] && ! ASAN_OPTIONS=$asan "$BUILD/fuzz_$t" "${regressions[@]}" > "$OUT/$t/regressions.log" 2>&1; then
        printf '%-10s a regression input fails again: see %s\n' "$t" "$OUT/$t/regressions.log"
        status=1
        continue
    fi
    ASAN_OPTIONS=$asan "$BUILD/fuzz_$t" "$corpus" "${leaks[@]}" -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$crashes/" -print_final_stats=1 > "$log" 2>&1
    rc=$?
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    found=$(ls "$crashes" | wc -l)
    result=ok
    if [ $rc -ne 0 ] || [ "$found" -gt 0 ]; then
        result="FOUND $found (see $log)"
        status=1
    fi
    printf '%-10s %8s %12s %8s %8s %s\n' "$t" "$SECONDS_EACH" "${runs:-?}" "${cov:-?}" "$(ls "$corpus" | wc -l)" "$result"
done
exit $status
