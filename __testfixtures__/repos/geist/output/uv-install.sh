#!/bin/bash
# Create (or update) the project environment (.venv) from pyproject.toml and uv.lock.
set -euo pipefail

cd "$(dirname "$0")"

if ! command -v uv >/dev/null 2>&1; then
    echo "uv not found: install it with: curl -LsSf https://astral.sh/uv/install.sh | sh" >&2
    exit 1
fi

echo "uv sync --locked: installing the locked dependencies into .venv"
uv sync --locked
echo "geist environment ready in .venv"
