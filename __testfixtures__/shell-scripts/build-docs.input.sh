#!/usr/bin/env bash
# Build the API reference and the HTML docs in the project's env.
set -euo pipefail

source "$(conda info --base)/etc/profile.d/conda.sh"
conda activate churn-dev

python -m pip install -r docs/requirements.txt
sphinx-apidoc -o docs/api src/churn
make -C docs html
conda deactivate
echo "docs in docs/_build/html"
