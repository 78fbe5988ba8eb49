#!/usr/bin/env bash
# npm ci in DIR, skipped when node_modules already matches package-lock.json.
set -euo pipefail
dir=$1
stamp="$dir/node_modules/.keyleak-lock-sha256"
want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
echo "$want" > "$stamp"
