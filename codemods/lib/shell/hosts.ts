// What differs between the places a shell snippet lives. The engine reads only these fields, never a
// host's name: a host passes its record from HOSTS, or one derived from it with overrides.

/**
 * How the environment is reached in the host:
 * - `uv-run`: developer-facing places (Makefile, docs, CI, scripts): a command that ran inside the
 *   activated env becomes `uv run CMD`.
 * - `venv-on-path`: inside an image whose PATH holds the venv: activation is dropped, commands stay.
 */
export type ShellPolicy = 'uv-run' | 'venv-on-path';

export interface HostPolicy {
  reach: ShellPolicy;
  /** What creating or updating the env becomes: reproducible places (images, CI) install the lock as it is. */
  sync: 'uv sync' | 'uv sync --locked';
  /**
   * The Miniconda/micromamba installer's download: `remove` where uv is already there (an image gets it
   * from its own COPY --from line), `uv-installer` where the step must now install uv.
   */
  installer: 'remove' | 'uv-installer';
  /** `conda clean`: `remove` where a cache mount replaces it (an image), else `uv cache clean`. */
  condaClean: 'remove' | 'uv-cache-clean';
  /** `conda install P` / `pip install P` by hand become `uv add P` (the developer's own steps: docs, Makefile). */
  addPackages: boolean;
  /** Other pip installs: `uv pip install` into the venv, or a note (docs tell a reader to `uv sync`, not to install by hand). */
  pipInstall: 'uv-pip' | 'note';
  /**
   * How this host activates the project venv (`source .venv/bin/activate`), where it may (uv-run policy).
   * The rule: when what ran in the activated conda env is at most ACTIVATED_COMMANDS known env commands
   * (python, pytest, the project's console scripts), each gets `uv run` and the activation goes; otherwise
   * (a command uv run would not be known to cover, or more of them) the activation becomes this line and
   * every command stays as it was, so nothing that needed the env runs outside it.
   */
  venvActivation?: string;
  /**
   * An activation after which the snippet runs nothing in the env is kept (as `venvActivation`): in docs
   * the reader goes on in that env with the next steps.
   */
  keepTrailingActivation?: boolean;
  /** A command named by an expansion (a Makefile's `$(PYTHON)`) counts as covered: the host decided what it is. */
  expansionsCovered?: boolean;
}

const developer: HostPolicy = { reach: 'uv-run', sync: 'uv sync', installer: 'uv-installer', condaClean: 'uv-cache-clean', addPackages: false, pipInstall: 'uv-pip' };

/** One record per host. */
export const HOSTS = {
  dockerfile: { reach: 'venv-on-path', sync: 'uv sync --locked', installer: 'remove', condaClean: 'remove', addPackages: false, pipInstall: 'uv-pip' },
  compose: { ...developer, reach: 'venv-on-path' },
  ci: { ...developer, sync: 'uv sync --locked' },
  makefile: { ...developer, addPackages: true, expansionsCovered: true },
  docs: { ...developer, addPackages: true, pipInstall: 'note' },
  script: { ...developer },
  'package-json': { ...developer },
  js: { ...developer },
} as const satisfies Record<string, HostPolicy>;

export type ShellHost = keyof typeof HOSTS;
