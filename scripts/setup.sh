#!/usr/bin/env bash
# Prepares everything the run and test commands need, idempotently:
#   .venv/ with the package installed (editable), Debian's Tesseract with its Chinese and English
#   languages (the server reads uploaded screenshots with it, so `make run` needs it too), and for
#   tests the test extras plus Debian's Chromium, Firefox ESR, npm and CJK fonts (installed with apt
#   when missing and root) and web-ext from npm (in .venv/node/).
set -euo pipefail
cd "$(dirname "$0")/.."
want_tests=0
[ "${1:-}" = "--test" ] && want_tests=1

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "kadun: creating .venv" >&2
  "$PY" -m venv .venv
fi

extras=""
[ "$want_tests" = 1 ] && extras="[test]"
stamp=".venv/.kadun-installed${extras:+-test}"
# Reinstall only when pyproject.toml's content differs from the last install's (by digest, not
# by file time: a checkout or copy that keeps old times must not leave a stale environment).
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "kadun: installing the package${extras:+ with test extras} into .venv" >&2
  .venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
  .venv/bin/python -m pip install --quiet -e ".${extras}"
  echo "$want" > "$stamp"
fi

need=()
# OCR of uploaded screenshots, for `make run` as much as for the tests.
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
tessdata=$(ls -d /usr/share/tesseract-ocr/*/tessdata 2>/dev/null | head -n 1 || true)
[ -n "$tessdata" ] && [ -f "$tessdata/chi_sim.traineddata" ] || need+=(tesseract-ocr-chi-sim)
[ -n "$tessdata" ] && [ -f "$tessdata/eng.traineddata" ] || need+=(tesseract-ocr-eng)
if [ "$want_tests" = 1 ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  command -v openssl >/dev/null 2>&1 || need+=(openssl)  # the loopback RFC 3161 TSA of the tests
  [ -x /usr/bin/firefox-esr ] || need+=(firefox-esr)
  command -v npm >/dev/null 2>&1 || need+=(npm)
  # (grep -q would stop reading early and fail the pipe under pipefail: read it all)
  if ! fc-list 2>/dev/null | grep -i "noto.*cjk" >/dev/null; then need+=(fonts-noto-cjk); fi
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "kadun: installing ${need[*]} with apt" >&2
    export DEBIAN_FRONTEND=noninteractive
    # Wait for another apt run to finish instead of failing on its lock.
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}" >/dev/null
  else
    echo "kadun: please install ${need[*]} (sudo apt-get install -y ${need[*]}); OCR and the browser tests need them" >&2
    exit 1
  fi
fi
if [ "$want_tests" = 1 ]; then
  # web-ext (Mozilla's extension linter and packager) from npm, into .venv/node/ (not tracked).
  webext_version=$(sed -n 's/.*"web-ext": *"\([^"]*\)".*/\1/p' scripts/node-tools.json)
  if [ ! -x .venv/node/node_modules/.bin/web-ext ] || [ scripts/node-tools.json -nt .venv/node/.installed ]; then
    echo "kadun: installing web-ext ${webext_version} from npm into .venv/node" >&2
    mkdir -p .venv/node
    npm install --prefix .venv/node --no-audit --no-fund --no-save --loglevel=error "web-ext@${webext_version}" >/dev/null
    touch .venv/node/.installed
  fi
fi
