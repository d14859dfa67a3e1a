#!/usr/bin/env bash
# Installs what Skiff needs on a Debian machine (idempotent: only missing packages) and checks
# that a Swift 6 toolchain is on PATH. Sourced by run.sh and test.sh; safe to run on its own.
set -euo pipefail

# System packages: SQLite for the store, libcrypto (libssl-dev) for keys and certificates, kubectl
# (Debian's kubernetes-client only when no kubectl exists), etcd (server + etcdctl) for the
# EtcdStore tests and the store benchmark peer, jemalloc (the allocator the skiff binary links).
packages=(libsqlite3-dev sqlite3 libssl-dev openssl libjemalloc-dev ca-certificates curl python3 python3-venv etcd-server etcd-client)
command -v kubectl >/dev/null 2>&1 || packages+=(kubernetes-client)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} )); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Swift: on PATH, or the toolchain in /opt/swift, or Debian's swiftlang package.
if ! command -v swift >/dev/null 2>&1; then
  if [[ -x /opt/swift/usr/bin/swift ]]; then
    export PATH="/opt/swift/usr/bin:$PATH"
  else
    echo "setup: no Swift toolchain found; trying Debian's swiftlang package"
    apt-get install -y -qq swiftlang >/dev/null || {
      echo "setup: install a Swift 6 toolchain (https://www.swift.org/install/linux/) and re-run" >&2
      exit 1
    }
  fi
fi
swift --version 2>&1 | head -1
