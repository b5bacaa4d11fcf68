#!/bin/bash
# Container entrypoint: activate the env, run migrations, then the command.

uv run alembic upgrade head
exec "$@"
