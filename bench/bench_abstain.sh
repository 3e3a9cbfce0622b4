#!/bin/sh
# The abstaining measurement of BENCHMARKS.md ("Abstaining"): pictures that are not cassava leaves
# gathered from what Debian packages ship (one file per picture: a wallpaper's largest size, no
# screenshots or duplicate sizes) and generated ones, the demo's drawn leaves (`cassava synth`),
# then bench_abstain over a run's hold-out.
#
#   bench/bench_abstain.sh RUN [BUILD_DIR] [bench_abstain options...]
#
# The wallpapers come from gnome-backgrounds, mate-backgrounds, plasma-workspace-wallpapers,
# ukui-wallpapers and lomiri-wallpapers when installed (apt-get install them first); icons and
# documentation images are on most machines. Nothing is copied: the folders hold symlinks.
set -eu
run=${1:?usage: bench_abstain.sh RUN [BUILD_DIR] [options...]}
build=${2:-build}
[ $# -ge 2 ] && shift 2 || shift 1
work=${TMPDIR:-/tmp}/bench-abstain-pictures
rm -rf "$work"
mkdir -p "$work/debian"

link() {  # one symlink per picture, named after its path
    name=$(echo "$1" | sed 's|^/usr/share/||; s|/|_|g')
    ln -s "$1" "$work/debian/$name"
}
{
    for d in /usr/share/wallpapers/*/contents/images /usr/share/wallpapers/*/contents/images_dark; do
        [ -d "$d" ] && ls -S "$d"/* | head -1
    done
    [ -d /usr/share/backgrounds ] && find /usr/share/backgrounds -type f \
        \( -iname '*.jpg' -o -iname '*.png' -o -iname '*.webp' \) -size +10k | grep -v 'Elephants_'
    find /usr/share/icons/Adwaita/512x512 /usr/share/icons/Adwaita/256x256 /usr/share/icons/hicolor/256x256 \
        -name '*.png' -size +20k 2>/dev/null
    find /usr/share/doc /usr/share/info /usr/share/qt6 \( -name '*.png' -o -name '*.jpg' \) -size +20k 2>/dev/null
} | sort -u | while read -r f; do link "$f"; done
echo "$(ls "$work/debian" | wc -l) Debian pictures in $work/debian"

"$build/bench/bench_abstain" --generate "$work/generated"
# The built-in demo's drawn leaves: the leaf check must not refuse the app's own demo.
"$build/app/cassava" synth --out "$work/demo" --count 200 --threads 2 > /dev/null
"$build/bench/bench_abstain" --run "$run" --leaves "$work/demo/train_images" "$@" "$work/debian" "$work/generated"
