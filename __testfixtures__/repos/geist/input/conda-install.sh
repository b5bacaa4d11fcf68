#!/bin/bash
# Create (or re-create) the geist conda environment for this machine.
set -e

cd "$(dirname "$0")"

if ! command -v conda >/dev/null 2>&1; then
    echo "conda not found: install Miniconda first" >&2
    exit 1
fi

source "$(conda info --base)/etc/profile.d/conda.sh"

if [ "$(uname -m)" = "aarch64" ]; then
    ENV_FILE=linux_environment.yml
else
    ENV_FILE=linux_environment_x86_x64.yml
fi

conda tos accept --override-channels --channel https://repo.anaconda.com/pkgs/main
conda clean -afy
conda env remove -n geist -y || true
conda env create -f "$ENV_FILE"
echo "geist environment ready"
