#!/bin/bash
# Does the code still compile against LibTorch 2.x (as a CUDA build on a GPU machine would use)?
# Fetches Debian 13's libtorch-dev (2.6) with apt into a private folder (nothing is installed and
# the system's apt state is untouched), then compiles every source file of a configured build that
# includes LibTorch against those headers, in place of Debian 12's 1.13. Syntax and types only:
# Debian 13's libraries need a newer glibc than Debian 12's, so nothing is linked or run.
#
#   packaging/check-libtorch-2.sh [BUILD_DIR] [WORK_DIR]
#   (BUILD_DIR: a configured build with compile_commands.json, default build/)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
WORK=${2:-${TMPDIR:-/tmp}/cassava-libtorch2}
[ -f "$BUILD/compile_commands.json" ] || { echo "$BUILD/compile_commands.json: configure a build first" >&2; exit 2; }

if [ ! -d "$WORK/root/usr/include/torch" ]; then
    mkdir -p "$WORK/lists/partial" "$WORK/cache/archives/partial" "$WORK/debs"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" \
        > "$WORK/sources.list"
    : > "$WORK/status"
    apt=(-o "Dir::Etc::SourceList=$WORK/sources.list" -o Dir::Etc::SourceParts=/dev/null
         -o "Dir::State::Lists=$WORK/lists" -o "Dir::Cache=$WORK/cache" -o "Dir::State::status=$WORK/status")
    apt-get "${apt[@]}" update > "$WORK/apt.log"
    (cd "$WORK/debs" && apt-get "${apt[@]}" download libtorch-dev >> "$WORK/apt.log" 2>&1)
    for deb in "$WORK"/debs/*.deb; do dpkg -x "$deb" "$WORK/root"; done
fi
INCLUDE=$WORK/root/usr/include
echo "LibTorch $(grep -hoE 'TORCH_VERSION_(MAJOR|MINOR|PATCH) [0-9]+' "$INCLUDE/torch/csrc/api/include/torch/version.h" |
    awk '{print $2}' | paste -sd.) headers from $WORK"

/usr/bin/python3 - "$BUILD" "$INCLUDE" "$ROOT" <<'PY'
import concurrent.futures, json, os, shlex, subprocess, sys
build, include, root = sys.argv[1:4]
jobs = []
for entry in json.load(open(os.path.join(build, "compile_commands.json"))):
    args = shlex.split(entry["command"])
    if not any("torch" in a or "cmake_pch" in a for a in args) or "_autogen" in entry["file"] \
            or entry["file"].endswith(".cxx"):
        continue
    out, skip = [args[0], "-isystem", include], False
    for i, a in enumerate(args[1:], 1):
        if skip:
            skip = False
        elif a in ("-o", "-c"):
            skip = a == "-o"
        elif a == "-include" and "cmake_pch" in args[i + 1]:
            out += ["-include", os.path.join(root, "models/TorchInclude.h")]  # the 1.13 PCH cannot be used
            skip = True
        elif a == "/usr/include/torch/csrc/api/include":
            out.append(include + "/torch/csrc/api/include")
        elif a.startswith("-D") and any(k in a for k in ("GFLAGS", "GLOG", "C10D", "DISTRIBUTED", "RPC", "TENSORPIPE")):
            continue  # Debian 12's Torch config defines these for its own build
        else:
            out.append(a)
    jobs.append((os.path.relpath(entry["file"], root), entry["directory"], out + ["-fsyntax-only"]))

def compile_(job):
    name, cwd, command = job
    r = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    return name, r.returncode, r.stderr

failed = warned = 0
with concurrent.futures.ThreadPoolExecutor(os.cpu_count()) as pool:
    for name, rc, err in pool.map(compile_, sorted(jobs)):
        # Our own warnings (deprecations included) count; the headers are system headers.
        warnings = [l for l in err.splitlines() if "warning:" in l]
        print(("FAILED  " if rc else "warned  " if warnings else "ok      ") + name, flush=True)
        failed += 1 if rc else 0
        warned += 1 if warnings and not rc else 0
        if rc or warnings:
            print(err[:6000])
print("%d of %d files compile against these LibTorch headers, %d of them with warnings"
      % (len(jobs) - failed, len(jobs), warned))
sys.exit(1 if failed else 0)
PY
