#!/usr/bin/env bash
# Install what the browser tests (tests/serve/test_browser.py) need on a fresh
# machine: Debian's Chromium (the tests drive /usr/bin/chromium, never a
# browser build downloaded by Playwright) and the Playwright Python package
# into the project's virtual environment. Safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."

PLAYWRIGHT_VERSION="1.65.2"
PY="${PY:-.venv/bin/python}"

if [ ! -x /usr/bin/chromium ]; then
    SUDO=""
    if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core
fi

if ! "$PY" -c "import playwright, sys; from importlib.metadata import version; sys.exit(version('playwright') != '$PLAYWRIGHT_VERSION')" 2>/dev/null; then
    # The Python package only: its bundled driver talks to Debian's Chromium.
    "$PY" -m pip install --quiet "playwright==$PLAYWRIGHT_VERSION"
fi

/usr/bin/chromium --version
"$PY" -c "from importlib.metadata import version; print('playwright', version('playwright'))"
