# Shared conda helpers
CONDA_ENV ?= geist
CONDA_ACTIVATE = source $$(conda info --base)/etc/profile.d/conda.sh && conda activate $(CONDA_ENV)
IN_ENV = conda run -n $(CONDA_ENV)

PROJECT := geist
