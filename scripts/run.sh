#!/usr/bin/env bash
# Sets everything up and starts the Teikibin desktop app on its default database
# (~/.local/share/teikibin/teikibin.db). Options:
#   --demo       fill a new default database with 1,000 demo members first
#   --db PATH    open another database file
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
(cd ui && npm run build --silent)
args=()
demo=0
while [ $# -gt 0 ]; do
  case "$1" in
    --demo) demo=1 ;;
    --db) args+=(--db "$2"); shift ;;
    *) args+=("$1") ;;
  esac
  shift
done
cargo build --release --bins
if [ "$demo" = 1 ]; then
  ./target/release/teikibin-cli "${args[@]}" init --demo
fi
exec ./target/release/teikibin "${args[@]}"
