#!/usr/bin/env bash
# Set up, build once, then run every test (unit, property, store crash and watch tests, e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
start=$(date +%s)
swift build --build-tests
swift test --skip-build
echo "test.sh: finished in $(( $(date +%s) - start )) s"
