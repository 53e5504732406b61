#!/usr/bin/env bash
# Sets up and runs every test: UI type check and unit tests, the core alone (no Tauri), the
# workspace's unit and integration tests, the drift check of the generated TypeScript
# bindings, the end-to-end test in a real window under Xvfb, and the .deb package build.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never

echo "==> UI: build, type check, unit tests"
(cd ui && npm run build --silent && npm run check --silent && npm test --silent)

echo "==> core alone: builds and tests without Tauri"
if cargo tree -p teikibin-core -e normal | grep -q '^.*tauri'; then
  echo "teikibin-core must not depend on Tauri"; exit 1
fi
cargo test -p teikibin-core

echo "==> workspace: unit and integration tests (regenerates ui/src/bindings)"
cargo test --workspace

echo "==> generated TypeScript bindings are committed and current"
if [ -n "$(git status --porcelain -- ui/src/bindings)" ]; then
  git status --porcelain -- ui/src/bindings
  git --no-pager diff --stat -- ui/src/bindings
  echo "ui/src/bindings is out of date: run cargo test and commit the result"; exit 1
fi

echo "==> end to end: the real window through WebDriver under Xvfb"
xvfb-run -a -s "-screen 0 1400x900x24" cargo test --test e2e -- --ignored --nocapture

if [ "${SKIP_DEB:-0}" != 1 ]; then
  echo "==> .deb package"
  (cd ui && npx tauri build --bundles deb --config ../tauri.conf.json -- --quiet) || \
    npx --prefix ui tauri build --bundles deb
  deb=$(ls target/release/bundle/deb/*.deb | head -n 1)
  dpkg-deb --info "$deb" | grep -E "Package|Version|Depends"
  dpkg-deb --contents "$deb" | grep -q "usr/bin/teikibin"
fi
echo "==> all tests passed"
