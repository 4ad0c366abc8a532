#!/usr/bin/env bash
# Prepares everything the run and test commands need, idempotently:
#   .venv/ with the package installed (editable), Debian's Tesseract with its Chinese and English
#   languages (the server reads uploaded screenshots with it), and for tests the test extras plus
#   Debian's Chromium and CJK fonts (installed with apt when missing and root).
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
# Reinstall only when pyproject.toml changed since the last install.
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "kadun: installing the package${extras:+ with test extras} into .venv" >&2
  .venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
  .venv/bin/python -m pip install --quiet -e ".${extras}"
  touch "$stamp"
fi

need=()
# OCR of uploaded screenshots, for `make run` as much as for the tests.
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
tessdata=$(ls -d /usr/share/tesseract-ocr/*/tessdata 2>/dev/null | head -n 1 || true)
[ -n "$tessdata" ] && [ -f "$tessdata/chi_sim.traineddata" ] || need+=(tesseract-ocr-chi-sim)
[ -n "$tessdata" ] && [ -f "$tessdata/eng.traineddata" ] || need+=(tesseract-ocr-eng)
if [ "$want_tests" = 1 ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  if ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then need+=(fonts-noto-cjk); fi
fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "kadun: installing ${need[*]} with apt" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "kadun: please install ${need[*]} (sudo apt-get install -y ${need[*]}); OCR and the browser tests need them" >&2
    exit 1
  fi
fi
