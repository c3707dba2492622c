#!/bin/sh
# Rebuild static/vendor/echarts-5.6.0-dashboard/echarts.min.js from the npm packages pinned in
# package.json (needs node and npm; run from anywhere). The output is committed, so neither
# `make run` nor CI needs node. Add a chart type or component to entry.js, then run this.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$HERE/../../static/vendor/echarts-5.6.0-dashboard"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp "$HERE/package.json" "$HERE/entry.js" "$WORK/"
cd "$WORK"
npm install --no-audit --no-fund --silent
mkdir -p "$OUT"
node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --target=es2018 \
  --legal-comments=none --outfile="$OUT/echarts.min.js" \
  --banner:js="/*! Apache ECharts 5.6.0 (line, bar, pie; grid, tooltip, legend; SVG renderer), Apache-2.0, see LICENSE and NOTICE; built by scripts/echarts/build.sh */"
cp node_modules/echarts/LICENSE node_modules/echarts/NOTICE "$OUT/"
