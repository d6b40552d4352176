#!/usr/bin/env bash
# Installs the Debian packages the build needs (SQLite, zlib and QR Code generator libraries), when missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# The build's packages, from the one list (scripts/debian-packages.txt).
mapfile -t PACKAGES < <(awk '!/^#/ && $2 == "build" { print $1 }' debian-packages.txt)
missing=()
for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    run() { if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
    run apt-get update
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
