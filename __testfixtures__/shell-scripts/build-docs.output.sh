#!/usr/bin/env bash
# Build the API reference and the HTML docs in the project's env.
set -euo pipefail

source .venv/bin/activate

uv pip install -r docs/requirements.txt
sphinx-apidoc -o docs/api src/churn
make -C docs html
deactivate
echo "docs in docs/_build/html"
