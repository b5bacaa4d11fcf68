# Churn model: environment, data and training
PROJECT_NAME = churn
ENV_FILE = environment.yml

.PHONY: help env update-env export-env remove-env test lint train clean

help:
	@echo "make env         - create the conda environment from $(ENV_FILE)"
	@echo "make update-env  - uv sync"
	@echo "make test        - run the tests"

env:
	uv sync
	uv sync

update-env:
	uv sync

export-env:
	uv lock

remove-env:
	rm -rf .venv

test:
	uv run pytest -q tests

lint:
	uv run ruff check src tests
	uv run mypy src/$(PROJECT_NAME)

train: data/processed/train.csv
	uv run python -m $(PROJECT_NAME).train --data $< --out models/

clean:
	rm -rf models/ .pytest_cache
