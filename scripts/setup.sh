#!/usr/bin/env bash
# Installs every build and runtime dependency of Expanse from Debian packages.
# Idempotent: packages already present are skipped, so re-running costs seconds.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libeigen3-dev libyaml-cpp-dev libboost-program-options-dev catch2
  libtorch-dev libopenblas0-openmp
  python3 python3-dev python3-numpy python3-pytest pybind11-dev
  gnuplot-nox        # the experiment reports' figures
  slurmctld slurmd slurm-client munge  # the Slurm backend's tests (scripts/slurm-local.sh)
  clang libclang-rt-14-dev             # libFuzzer (scripts/fuzz.sh)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
      echo "setup: these Debian packages are missing: ${missing[*]}; run this script as root, or install sudo" >&2
      exit 1
    fi
    sudo_cmd="sudo"
  fi
  echo "setup: installing ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all dependencies present"
fi
