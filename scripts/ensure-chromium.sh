#!/usr/bin/env bash
# Make sure Debian's Chromium is there for the browser tests.
# As root (CI) it installs it; otherwise it says loudly that browser tests
# will be skipped, and the rest of the suite still runs.
set -u
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "== Installing Debian's chromium for the browser tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null && apt-get install -y -q chromium fonts-dejavu-core >/dev/null
  [ -x "$CHROMIUM" ] && exit 0
fi
cat >&2 <<'MSG'
################################################################################
##  Chromium is not installed and cannot be installed here (not root?).       ##
##  The browser tests will be SKIPPED. Install Debian's `chromium` package    ##
##  (or set CHROMIUM=/path/to/chromium) to run them. CI always runs them.     ##
################################################################################
MSG
exit 0
