#!/usr/bin/env bash
# txsim-gui --screenshot renders a scenario's run headlessly: exit 0 and a PNG that is an image
# of the window's size (the PNG signature and the IHDR width/height are checked).
set -euo pipefail
gui=$1 scenario=$2
out=$(mktemp -d)/shot.png
"$gui" --screenshot "$out" --size 1000x700 "$scenario"
[[ -s "$out" ]] || { echo "no image written"; exit 1; }
sig=$(head -c 8 "$out" | od -An -tx1 | tr -d ' \n')
[[ "$sig" == "89504e470d0a1a0a" ]] || { echo "not a PNG: $sig"; exit 1; }
width=$((16#$(dd if="$out" bs=1 skip=16 count=4 2>/dev/null | od -An -tx1 | tr -d ' \n')))
height=$((16#$(dd if="$out" bs=1 skip=20 count=4 2>/dev/null | od -An -tx1 | tr -d ' \n')))
[[ $width -ge 1000 && $height -ge 700 ]] || { echo "image is ${width}x${height}"; exit 1; }
echo "ok: ${width}x${height}"
