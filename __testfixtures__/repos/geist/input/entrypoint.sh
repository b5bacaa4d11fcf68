#!/bin/bash --login
# Container entrypoint: activate the env, run migrations, then the command.
set +euo pipefail
conda activate geist
set -euo pipefail

alembic upgrade head
exec "$@"
