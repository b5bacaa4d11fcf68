#!/usr/bin/env bash
# Start the worker and the API in the geist env.
set -euo pipefail

uv run celery -A backend.tasks worker --loglevel=info &
exec uv run \
    gunicorn backend.main:app -k uvicorn.workers.UvicornWorker --bind "0.0.0.0:${PORT:-8000}"
