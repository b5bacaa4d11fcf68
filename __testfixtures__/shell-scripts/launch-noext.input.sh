#!/bin/sh
# Run a one-off script in the geist env: ./launch path/to/script.py [args]
eval "$(conda shell.posix hook)"
conda activate geist || { echo "no geist env: run ./conda-install.sh" >&2; exit 1; }
python "$@"
