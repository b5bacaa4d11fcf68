// The uv sync block that replaces the env step: uv's Docker guide (dependencies first with --no-install-project, then the project).
import { CONTEXT_SOURCE, isMambaUser, MANAGED_PYTHON_DIR, type Step } from '../model.js';
import type { Migration } from '../plan.js';

export const UV_CACHE_MOUNT = '--mount=type=cache,target=/root/.cache/uv';

/** Puts the sync block at the env step (before the first `COPY . .` when the source is already in). */
export function placeSync(m: Migration, step: Step, sourceCopied: Step | undefined): void {
  const { ctx, api, file, noDev } = m;
  const stage = step.stage;
  const at = stage.syncAt ?? step;
  // Synced as micromamba's user: the cache is its own (the venv directory was made its own with the user).
  const user = stage.keptUser && isMambaUser(at.user) ? stage.keptUser : undefined;
  const mount = user ? `--mount=type=cache,target=/home/${user.name}/.cache/uv,uid=${user.id},gid=${user.id}` : UV_CACHE_MOUNT;
  const managed = stage.managedPython ? ` UV_PYTHON_INSTALL_DIR=${MANAGED_PYTHON_DIR} UV_PYTHON_PREFERENCE=only-managed` : '';
  const envLine = `ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1${stage.projectEnv ? ` UV_PROJECT_ENVIRONMENT=${stage.venv}` : ''}${managed}`;
  const copyLine = `COPY pyproject.toml uv.lock${m.hasPythonVersionFile ? ' .python-version' : ''} ./`;
  const depsLine = `RUN ${mount} uv sync --locked --no-install-project${noDev}`;
  const projectLine = `RUN ${mount} uv sync --locked${noDev}`;
  const block = [envLine, copyLine, depsLine];
  if (ctx.conda.groups.includes('dev')) {
    api.decide(noDev ? 'the image installs without the dev group (uv sync --no-dev)' : 'the image keeps the dev group: it is a development image (bind-mounted source or a dev Dockerfile)', file.path);
  }
  if (!api.fs.exists('uv.lock') && !api.options.lock) m.report(step.start, 'the image copies uv.lock, which does not exist yet: run `uv lock` and commit it before building', 'blocks');
  if (sourceCopied) {
    // The source is already in: put the dependency layer before it so source edits do not rebuild it.
    sourceCopied.before.push(...block);
    if (ctx.conda.isPackage) (step.removed ? step.before : step.after).push(projectLine);
    return;
  }
  if (at !== step) at.after.push(...block);
  else (step.removed ? step.before : step.after).push(...block);
  if (ctx.conda.isPackage) {
    const later = stage.steps.slice(stage.steps.indexOf(at) + 1).find((s) => (s.keyword === 'COPY' || s.keyword === 'ADD') && CONTEXT_SOURCE.test(s.node.getArguments().map((a) => a.getValue()).filter((a) => !a.startsWith('--'))[0] ?? ''));
    if (later) later.after.push(projectLine);
  }
}
