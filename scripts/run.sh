#!/usr/bin/env bash
# Set up, build and start `skiff server` with its defaults. Extra arguments go to `skiff server`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build -c release --product skiff
exec "$(swift build -c release --show-bin-path)/skiff" server "$@"
