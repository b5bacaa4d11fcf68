// The conda vocabulary every codemod, the leftovers pass and the plan share: what counts as a conda
// command, a conda word, a conda image, a conda installer and a conda prefix path. One place, so that
// what one codemod rewrites the leftovers pass does not call a leftover, and the other way round.

/** The package managers' command names. */
export const CONDA_TOOLS: ReadonlySet<string> = new Set(['conda', 'mamba', 'micromamba']);

/** A conda command or distribution named in text (any case: prose says Conda and Miniconda). */
export const CONDA_NAME = /\b(?:conda|mamba|micromamba|miniconda\d?|anaconda\d?|miniforge\d?|mambaforge)\b/i;

/** A conda variable: upper case only (`conda_install_artifacts` in a path is not one). */
export const CONDA_VARIABLE = /\b(?:CONDA|MAMBA)_[A-Z_]+\b/;

/** Either of the above (conda-pack and conda-unpack hold a conda name): what still ties a line to conda. */
export const CONDA_WORD = { test: (text: string) => CONDA_NAME.test(text) || CONDA_VARIABLE.test(text) };

/** Comment lines that talk about conda: above a conda step that is removed or replaced, they go with it (see explainingComment). */
export const TALKS_CONDA = { comment: /^\s*#/, line: (line: string) => CONDA_WORD.test(line) };

/** Channels whose packages the conda -> PyPI mapping covers (parselmouth's, and what mirrors them). */
export const MAPPED_CHANNELS: ReadonlySet<string> = new Set(['conda-forge', 'defaults', 'anaconda', 'main', 'pytorch', 'nvidia', 'pkgs/main', 'pkgs/r', 'bioconda', 'nodefaults', 'r']);

/** The start of the drop reason of a package from a channel the mapping does not cover. */
export const FROM_CHANNEL = 'from the conda channel';

/**
 * The channel a package surely came from when the mapping does not cover it: its own `channel::`
 * prefix, or a channel given by URL (a lab's server). A plain channel name beside conda-forge says
 * nothing about where one package comes from.
 */
export function unmappedChannel(entry: string, channels: readonly string[]): string | undefined {
  const own = /^([^:\s]+)::/.exec(entry)?.[1];
  const outside = (c: string) => !MAPPED_CHANNELS.has(c.replace(/\/label\/.*$/, ''));
  if (own !== undefined) return outside(own) ? own : undefined;
  return channels.find((c) => /^(?:https?|file):\/\//.test(c));
}

/** Docker images that ship conda: Miniconda, Anaconda, Miniforge/Mambaforge, micromamba (a tag allowed). */
export const CONDA_IMAGE =
  /^(?:docker\.io\/)?(?:continuumio\/(?:miniconda\d?|anaconda\d?)|condaforge\/(?:miniforge\d?|mambaforge|miniforge-pypy\d|mambaforge-pypy\d|miniconda\d?)|mambaorg\/micromamba)(?::\S*)?$/i;

/** A conda prefix's bin/ path: /opt/conda, $CONDA_PREFIX, $MAMBA_ROOT_PREFIX, ~/miniconda3, an env's own. */
export const CONDA_BIN =
  /(?:\$\{?CONDA_(?:DIR|PREFIX)\}?|\$\{?MAMBA_ROOT_PREFIX\}?|\/opt\/conda|\/opt\/(?:mini|ana)conda3|\/opt\/miniforge3|(?:~|\/root|\/home\/[\w.-]+)\/(?:mini|ana)conda3|(?:~|\/root|\/home\/[\w.-]+)\/miniforge3)(?:\/envs\/[\w.-]+)?\/bin\b/g;
