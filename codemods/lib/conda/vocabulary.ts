// The conda vocabulary every codemod, the leftovers pass and the plan share: what counts as a conda
// command, a conda word, a conda image, a conda installer and a conda prefix path. One place, so that
// what one codemod rewrites the leftovers pass does not call a leftover, and the other way round.

/** The package managers' command names. */
export const CONDA_TOOLS: ReadonlySet<string> = new Set(['conda', 'mamba', 'micromamba']);

/** A conda command or distribution named in text (any case: prose says Conda and Miniconda). */
export const CONDA_NAME = /\b(?:conda|mamba|micromamba|miniconda\d?|anaconda\d?|miniforge\d?|mambaforge)\b/i;

/** A conda variable: upper case only (`conda_install_artifacts` in a path is not one). */
export const CONDA_VARIABLE = /\b(?:CONDA|MAMBA)_[A-Z_]+\b/;

/** Either of the above, or conda-pack's commands: what still ties a line to conda. */
export const CONDA_WORD = { test: (text: string) => CONDA_NAME.test(text) || CONDA_VARIABLE.test(text) || /\bconda-(?:pack|unpack)\b/.test(text) };

/** Docker images that ship conda: Miniconda, Anaconda, Miniforge/Mambaforge, micromamba (a tag allowed). */
export const CONDA_IMAGE =
  /^(?:docker\.io\/)?(?:continuumio\/(?:miniconda\d?|anaconda\d?)|condaforge\/(?:miniforge\d?|mambaforge|miniforge-pypy\d|mambaforge-pypy\d|miniconda\d?)|mambaorg\/micromamba)(?::\S*)?$/i;

/** A conda prefix's bin/ path: /opt/conda, $CONDA_PREFIX, $MAMBA_ROOT_PREFIX, ~/miniconda3, an env's own. */
export const CONDA_BIN =
  /(?:\$\{?CONDA_(?:DIR|PREFIX)\}?|\$\{?MAMBA_ROOT_PREFIX\}?|\/opt\/conda|\/opt\/(?:mini|ana)conda3|\/opt\/miniforge3|(?:~|\/root|\/home\/[\w.-]+)\/(?:mini|ana)conda3|(?:~|\/root|\/home\/[\w.-]+)\/miniforge3)(?:\/envs\/[\w.-]+)?\/bin\b/g;
