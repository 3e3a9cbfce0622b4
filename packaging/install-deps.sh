#!/usr/bin/env bash
# Installs exactly the Debian 12 packages Cassava Studio needs that are missing; does nothing (and
# needs no network) when all are present. Idempotent.
#   packaging/install-deps.sh          build + run dependencies
#   packaging/install-deps.sh --test   also what the test suite needs (Xvfb, Python torchvision,
#                                      clang and libFuzzer for fuzz/)
set -euo pipefail

build_packages=(
  cmake g++ make ccache pkg-config
  qt6-base-dev qt6-svg-dev libqcustomplot-dev
  libtorch-dev libopencv-dev nlohmann-json3-dev libjpeg-dev libcurl4-openssl-dev libssl-dev
  dpkg-dev file
)
test_packages=(
  xvfb xauth imagemagick
  python3-torch python3-torchvision
  clang libclang-rt-14-dev
)

wanted=("${build_packages[@]}")
for arg in "$@"; do
  case "$arg" in
    --test) wanted+=("${test_packages[@]}") ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "install-deps.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#wanted[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
