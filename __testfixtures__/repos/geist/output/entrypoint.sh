#!/bin/bash
# Container entrypoint: activate the env, run migrations, then the command.

alembic upgrade head
exec "$@"
