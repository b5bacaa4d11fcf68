#!/bin/sh
# Run a one-off script in the geist env: ./launch path/to/script.py [args]
uv run python "$@"
