// `uv lock` on a migrated repository, and what its failure means: the dependency uv names and what to
// change. The CLI (`--lock`) and `npm run corpus:lock` (test/corpus/lock.ts) both use it.
import { spawnSync } from 'node:child_process';

export type LockOutcome =
  | { status: 'locked' }
  | { status: 'no-uv' }
  | ({ status: 'failed'; output: string } & UvFailure);

export interface UvFailure {
  /** The dependency uv's message names, when it names one. */
  package?: string;
  /** uv's own line that says what went wrong. */
  reason: string;
  /** What to change. */
  advice: string;
}

/** Runs `uv lock` in `dir`; `uv` is the executable (a path, when a pyenv shim would pick another Python's). */
export function lockWithUv(dir: string, options: { timeoutMs?: number; uv?: string } = {}): LockOutcome {
  const run = spawnSync(options.uv ?? 'uv', ['lock'], { cwd: dir, encoding: 'utf8', timeout: options.timeoutMs ?? 600_000, env: { ...process.env, NO_COLOR: '1' } });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return { status: 'no-uv' };
  if (run.status === 0) return { status: 'locked' };
  const output = `${run.stderr ?? ''}${run.stdout ?? ''}`;
  if (run.error || run.signal) {
    const seconds = Math.round((options.timeoutMs ?? 600_000) / 1000);
    return { status: 'failed', output, reason: `uv lock did not finish in ${seconds} s`, advice: 'run `uv lock -v` to see where it waits (a source build, a slow index)' };
  }
  return { status: 'failed', output, ...explainUvFailure(output) };
}

/** uv's lines without their decoration (`error:`, `cause:`, `×`, `╰─▶`, `│`); `hint:` lines keep theirs. */
function messageLines(output: string): string[] {
  return output
    .split('\n')
    .map((l) => l.replace(/^[\s×╰─▶│]*(?:(?:error|cause|caused by):\s*)?/, '').trim())
    .filter(Boolean);
}

/** What a failed `uv lock` says: the line naming the dependency, the dependency, and what to change. */
export function explainUvFailure(output: string): UvFailure {
  const lines = messageLines(output);
  const first = (pattern: RegExp) => {
    for (const line of lines) {
      const m = pattern.exec(line);
      if (m) return { line, name: m[1] };
    }
    return undefined;
  };
  const pkg = (name: string | undefined) => name?.replace(/\{.*$/, '').replace(/\[.*$/, '');

  const missing = first(/Because (?:there is no version of )?([A-Za-z0-9][\w.-]*)(?:\{[^}]*\})?(?:\[[^\]]*\])? was not found in the package registry/);
  if (missing) return { package: pkg(missing.name), reason: missing.line, advice: `${pkg(missing.name)} is not on PyPI: find its PyPI name, or remove it from pyproject.toml and install it another way (a conda-only or system package)` };
  const noVersion = first(/Because there is no version of ([A-Za-z0-9][\w.-]*(?:\{[^}]*\})?(?:\[[^\]]*\])?)\s*(?:[=<>!~]=?)/);
  if (noVersion) {
    return { package: pkg(noVersion.name), reason: noVersion.line, advice: `no release of ${pkg(noVersion.name)} on PyPI matches its pin: loosen or drop the pin in pyproject.toml (conda and PyPI version the package differently), or check the name` };
  }
  const noWheels = first(/([A-Za-z0-9][\w.-]*)(?:==\S+)? (?:has no wheels with a matching|has no (?:usable )?wheels|only has wheels)/);
  if (noWheels) {
    return { package: pkg(noWheels.name), reason: noWheels.line, advice: `${pkg(noWheels.name)} has no wheel for a platform or Python the lock covers: pin a release that has one, narrow [tool.uv] environments, or add a marker to the dependency` };
  }
  const build = first(/Failed to (?:download and )?build `([A-Za-z0-9][\w.-]*)/);
  if (build) {
    const hint = lines.find((l) => /^hint:/.test(l));
    return { package: pkg(build.name), reason: build.line, advice: `${pkg(build.name)} could not be built from source while locking${hint ? ` (${hint.replace(/^hint:\s*/, '')})` : ''}: pin a release with wheels, or give it its build dependencies ([tool.uv] extra-build-dependencies)` };
  }
  if (/pyenv: uv: command not found/.test(output)) {
    return { reason: 'pyenv: uv: command not found', advice: 'uv is a pyenv shim and .python-version selects a Python without it: install uv outside pyenv (https://docs.astral.sh/uv/getting-started/installation/) or run `uv lock` yourself' };
  }
  const depends = first(/(?:depends on|requires) ([A-Za-z0-9][\w.-]*)/);
  const said = lines.filter((l) => !/^(?:Using|Resolved|Updating|Updated|Building|Built|Downloading|Prepared|warning:|hint:)/.test(l));
  const reason = depends?.line ?? (said.slice(0, 2).join(': ') || 'uv lock failed with no message');
  const requiresPython = /\.python-version.*incompatible|requires-python/i.test(reason);
  return {
    ...(depends ? { package: pkg(depends.name) } : {}),
    reason,
    advice: requiresPython ? 'make .python-version and requires-python agree' : 'see uv\'s message above; change the dependency it names in pyproject.toml',
  };
}
