#!/usr/bin/env bash
# Installs the Debian packages cssim needs, only those that are missing (apt-get; as root or via
# sudo). Safe to run again.
set -euo pipefail
packages=(cmake ninja-build g++ ccache pkg-config libsystemc-dev libboost-program-options-dev
          libgtest-dev nlohmann-json3-dev zlib1g-dev verilator yosys python3 parallel
          python3-matplotlib)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "cssim setup: installing ${missing[*]}"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
