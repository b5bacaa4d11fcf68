#!/bin/bash
# Set up everything a developer needs, then start the API.
set -e
./conda-install.sh
source "$(conda info --base)/etc/profile.d/conda.sh"
conda activate geist
uvicorn backend.main:app --reload --port "${PORT:-8000}"
