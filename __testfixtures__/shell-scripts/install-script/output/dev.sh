#!/bin/bash
# Set up everything a developer needs, then start the API.
set -e
./uv-install.sh
uv run uvicorn backend.main:app --reload --port "${PORT:-8000}"
