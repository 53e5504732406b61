#!/usr/bin/env bash
# Installs what building, running and testing Teikibin needs on Debian 12 / Ubuntu 22.04+:
# system packages (WebKitGTK 4.1, build tools, Node.js, Xvfb, WebKitWebDriver), the UI's npm
# packages and tauri-driver. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

need_pkgs=(libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev pkg-config nodejs npm sqlite3)
if [ "${1:-}" = "--test" ]; then
  need_pkgs+=(xvfb xauth webkit2gtk-driver fonts-noto-cjk imagemagick poppler-utils)
fi
missing=()
for p in "${need_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A Node.js that did not come from Debian (nodesource, nvm) is fine too.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  echo "==> Rust (rustup)"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi

echo "==> npm ci (ui/)"
(cd ui && npm ci --no-audit --no-fund --loglevel=error)

# The Tauri CLI (for the .deb) lives apart from the UI's lock file: its optional per-platform
# packages are not all on every registry mirror, which would break `npm ci`.
if [ ! -x .tools/node_modules/.bin/tauri ]; then
  echo "==> npm install @tauri-apps/cli (.tools/)"
  npm install --prefix .tools --no-audit --no-fund --no-save --loglevel=error @tauri-apps/cli@2.12.5
fi

if [ "${1:-}" = "--test" ] && ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "==> cargo install tauri-driver"
  cargo install tauri-driver --version "^2" --locked --quiet
fi
