// Facts the CI codemods share: conda env files by name (filters, cache keys) and conda images.
import type { EnvFileInfo, MigrationContext } from '../../contract/context.js';
import type { Edit } from './text.js';
import { UV_IMAGE } from './versions.js';

/** Images that ship conda (the shared vocabulary's). */
export { CONDA_IMAGE } from './conda/vocabulary.js';

/**
 * The Pythons uv's Debian images are published with (`<uv>-python3.X-trixie-slim`, uv's Docker guide).
 * uv's images are based on trixie since uv 0.9: no bookworm tag is written for a current uv.
 */
const UV_IMAGE_PYTHONS = new Set(['3.10', '3.11', '3.12', '3.13', '3.14']);

/**
 * Astral's uv image with the project's Python (without one uv publishes, the plain image: uv downloads
 * the Python): Alpine where the conda image was Alpine (`from`), else Debian trixie-slim.
 */
export function uvImage(ctx: MigrationContext, from = ''): string {
  const python = ctx.conda.pythonVersion;
  const base = /alpine/i.test(from) ? 'alpine' : 'trixie-slim';
  return `${UV_IMAGE}:${ctx.uvVersion}${python && UV_IMAGE_PYTHONS.has(python) ? `-python${python}` : ''}-${base}`;
}

/** A file name (or glob) that reads as a conda env file: environment.yml, linux_environment.yaml, conda-*.yml... */
const ENV_FILE_NAME = /(?:^|\/)[^/]*(?:environment|conda)[^/]*\.ya?ml$/i;

function normalise(path: string): string {
  return path.replace(/^\.\//, '').replace(/^\//, '');
}

/** The context's facts about an env file named by a path relative to the repository root. */
export function envFileInfo(ctx: MigrationContext, path: string): EnvFileInfo | undefined {
  const wanted = normalise(path);
  return ctx.conda.envFiles.find((e) => normalise(e.path) === wanted);
}

/** The path or glob names a conda env file (known to the context, or shaped like one). */
export function isEnvFileName(ctx: MigrationContext, path: string): boolean {
  // An env file that stays (an R env) keeps its filters; files under .github/ are CI's own, never env files.
  const known = envFileInfo(ctx, path);
  if (known) return known.role !== 'unmigratable';
  return ENV_FILE_NAME.test(normalise(path)) && !normalise(path).startsWith('.github/');
}

/** Edits that make `hashFiles('environment.yml', ...)` keys hash `uv.lock` instead of env files. */
export function hashFilesEdits(text: string, ctx: MigrationContext): Edit[] {
  const edits: Edit[] = [];
  for (const call of text.matchAll(/hashFiles\(([^()]*)\)/g)) {
    const parts = [...call[1]!.matchAll(/\s*(['"])(.*?)\1\s*(?:,|$)/g)];
    if (parts.length === 0 || !parts.some((p) => isEnvFileName(ctx, p[2]!))) continue;
    const quote = parts[0]![1]!;
    const names: string[] = [];
    for (const p of parts) {
      const name = isEnvFileName(ctx, p[2]!) ? 'uv.lock' : p[2]!;
      if (!names.includes(name)) names.push(name);
    }
    edits.push({ start: call.index, end: call.index + call[0].length, text: `hashFiles(${names.map((n) => quote + n + quote).join(', ')})` });
  }
  return edits;
}
