# Stack Overflow's activation macro: the env name follows it
CONDA_ACTIVATE = source $$(conda info --base)/etc/profile.d/conda.sh ; conda activate ; conda activate
PYTHON = python

serve:
	@$(CONDA_ACTIVATE) geist && $(PYTHON) -m http.server $${PORT:-8000}

check:
	-$(CONDA_ACTIVATE) geist; $(PYTHON) -c 'import geist'

build:
	conda build recipe/
