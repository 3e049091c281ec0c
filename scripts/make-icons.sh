#!/usr/bin/env bash
# Generates assets/icon.png (512×512) and assets/icon.ico (16…256) for electron-builder.
# Run once by hand (needs Debian's imagemagick); the generated files are committed, CI never runs this.
set -euo pipefail
cd "$(dirname "$0")/.."
IM=/usr/bin/convert
[ -x "$IM" ] || { echo "ImageMagick fehlt: apt-get install -y imagemagick" >&2; exit 2; }
$IM -size 512x512 xc:none \
  -fill '#1d4f91' -draw 'roundrectangle 16,16 496,496 96,96' \
  -fill '#ffffff' -draw 'polygon 150,96 318,96 382,160 382,416 150,416' \
  -fill '#c9d8ee' -draw 'polygon 318,96 382,160 318,160' \
  -fill '#1d4f91' -draw 'rectangle 190,300 342,316' -draw 'rectangle 190,336 342,352' -draw 'rectangle 190,372 300,388' \
  -font assets/fonts/DejaVuSans-Bold.ttf -pointsize 150 -fill '#1d4f91' -gravity north -annotate +0+118 'A' \
  -strip PNG32:assets/icon.png
$IM assets/icon.png -define icon:auto-resize=256,128,64,48,32,16 assets/icon.ico
