#!/usr/bin/env bash
# Start the worker and the API in the geist env.
set -euo pipefail

ENV_NAME=geist
conda run -n "$ENV_NAME" --no-capture-output celery -A backend.tasks worker --loglevel=info &
exec conda run -n "$ENV_NAME" --no-capture-output \
    gunicorn backend.main:app -k uvicorn.workers.UvicornWorker --bind "0.0.0.0:${PORT:-8000}"
