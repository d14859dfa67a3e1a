#!/usr/bin/env bash
# Set up, build once, then run every test (unit, property, store crash and watch tests, e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
# The official Python client for the second-client e2e test, in a venv of its own.
if [[ ! -x .build-venv/bin/python3 ]] || ! .build-venv/bin/python3 -c "import kubernetes" 2>/dev/null; then
  python3 -m venv .build-venv
  .build-venv/bin/pip install -q "kubernetes==37.0.2"
fi
start=$(date +%s)
swift build --build-tests
swift test --skip-build
echo "test.sh: finished in $(( $(date +%s) - start )) s"
