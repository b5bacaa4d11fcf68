# Geist developer commands
SHELL := /bin/bash
MLX_BACKEND ?= 0

.PHONY: install
install:
	./conda-install.sh

.PHONY: server
server:
	uv run python bootstrap.py

.PHONY: run
run:
ifeq ($(MLX_BACKEND),1)
	MLX=1 uv run python bootstrap.py --reload
else
	uv run python bootstrap.py --reload
endif

.PHONY: debug
debug:
ifeq ($(MLX_BACKEND),1)
	MLX=1 uv run python -m debugpy --listen 5678 bootstrap.py
else
	uv run python -m debugpy --listen 5678 bootstrap.py
endif

.PHONY: test
test:
	uv run pytest -q backend/tests

.PHONY: migrate
migrate:
	uv run alembic upgrade head

.PHONY: export-env
export-env:
	uv lock

.PHONY: frontend
frontend:
	cd frontend && npm run build
