# Geist developer commands
SHELL := /bin/bash
CONDA_ENV = geist
CONDA_ACTIVATE = source $$(conda info --base)/etc/profile.d/conda.sh && conda activate $(CONDA_ENV)
MLX_BACKEND ?= 0

.PHONY: install
install:
	./conda-install.sh

.PHONY: server
server:
	$(CONDA_ACTIVATE) && python bootstrap.py

.PHONY: run
run:
ifeq ($(MLX_BACKEND),1)
	$(CONDA_ACTIVATE) && MLX=1 python bootstrap.py --reload
else
	$(CONDA_ACTIVATE) && python bootstrap.py --reload
endif

.PHONY: debug
debug:
ifeq ($(MLX_BACKEND),1)
	$(CONDA_ACTIVATE) && MLX=1 python -m debugpy --listen 5678 bootstrap.py
else
	$(CONDA_ACTIVATE) && python -m debugpy --listen 5678 bootstrap.py
endif

.PHONY: test
test:
	$(CONDA_ACTIVATE) && pytest -q backend/tests

.PHONY: migrate
migrate:
	$(CONDA_ACTIVATE) && alembic upgrade head

.PHONY: export-env
export-env:
	conda env export > linux_environment.yml

.PHONY: frontend
frontend:
	cd frontend && npm run build
