// The uv sync block that replaces the env step: uv's Docker guide (dependencies first with --no-install-project, then the project).
import { argumentsOf, builtOn, CONTEXT_SOURCE, expandVars, isMambaUser, isUnder, MANAGED_PYTHON_DIR, type Step } from '../model.js';
import type { Copy } from 'dockerfile-ast';
import type { Migration } from '../plan.js';

export const UV_CACHE_MOUNT = '--mount=type=cache,target=/root/.cache/uv';

/** Puts the sync block at the env step (before the first `COPY . .` when the source is already in). */
export function placeSync(m: Migration, step: Step, sourceCopied: Step | undefined): void {
  const { ctx, api, file, noDev } = m;
  const stage = step.stage;
  const at = stage.syncAt ?? step;
  const managed = stage.managedPython ? ` UV_PYTHON_INSTALL_DIR=${MANAGED_PYTHON_DIR} UV_PYTHON_PREFERENCE=only-managed` : '';
  const envLine = `ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1${stage.projectEnv ? ` UV_PROJECT_ENVIRONMENT=${stage.venv}` : ''}${managed}`;
  const copyLine = `COPY pyproject.toml uv.lock${m.hasPythonVersionFile ? ' .python-version' : ''} ./`;
  const depsLines = syncLines(step, at.user, `--locked --no-install-project${noDev}`);
  // The non-root user the dependency sync handed the venv to: their project install may run as them.
  const owner = isRoot(at.user) || isMambaUser(at.user) ? undefined : resolvedUser(at);
  const block = [envLine, copyLine, ...depsLines];
  if (ctx.conda.groups.includes('dev')) {
    api.decide(noDev ? 'the image installs without the dev group (uv sync --no-dev)' : 'the image keeps the dev group: it is a development image (bind-mounted source or a dev Dockerfile)', file.path);
  }
  if (!api.fs.exists('uv.lock') && !api.options.lock) m.report(step.start, 'the image copies uv.lock, which does not exist yet: run `uv lock` and commit it before building', 'blocks');
  if (sourceCopied) {
    // The source is already in: put the dependency layer before it so source edits do not rebuild it.
    sourceCopied.before.push(...block);
    if (ctx.conda.isPackage) (step.removed ? step.before : step.after).push(...syncLines(step, step.user, `--locked${noDev}`, undefined, owner, chownedSource(sourceCopied)));
    return;
  }
  if (at !== step) at.after.push(...block);
  else (step.removed ? step.before : step.after).push(...block);
  if (!ctx.conda.isPackage) return;
  // The project goes in after the source does: later in this stage, or in each stage built on it.
  const copiesSource = (s: Step) => (s.keyword === 'COPY' || s.keyword === 'ADD') && CONTEXT_SOURCE.test(argumentsOf(m.model, s).map((a) => a.value).filter((a) => !a.startsWith('--'))[0] ?? '') && s.workdir === at.workdir;
  const later = stage.steps.slice(stage.steps.indexOf(at) + 1).find(copiesSource);
  if (later) {
    later.after.push(...syncLines(later, later.user, `--locked${noDev}`, undefined, owner, chownedSource(later)));
    return;
  }
  for (const heir of m.model.stages.filter((s) => builtOn(s, stage))) {
    const copy = heir.steps.find(copiesSource);
    if (copy) copy.after.push(...syncLines(copy, copy.user, `--locked${noDev}`, stage.venv, owner, chownedSource(copy)));
  }
}

/** `user` runs no root commands: `root`, `0`, `root:root`, `0:0`, or none set. */
const isRoot = (user: string | undefined) => user === undefined || /^(?:root|0)(?::(?:root|0))?$/.test(user);

/** The source COPY gave the files to a user (`--chown=`): the build's files in its directory go to them too. */
const chownedSource = (copy: Step) => (copy.node as Copy).getFlags().some((f) => f.getName() === 'chown');

/** The user a step runs as, its variables resolved where they are known. */
const resolvedUser = (step: Step, user = step.user) => (user === undefined ? undefined : (expandVars(user, step.vars) ?? user));

/** The cache a non-root user's sync writes: outside any home (the user may have none), theirs by the mount's uid. */
const USER_CACHE = '/tmp/uv-cache';

/**
 * The `uv sync` RUN, run as whoever the stage runs as there while the venv ends up theirs:
 * micromamba's kept user syncs with a cache of its own (its venv directory was made its own when
 * the user was added); another non-root user's dependency sync runs as root and hands the venv over,
 * while the project's own install runs as the user the venv was handed to (`owner`), as its pip install
 * did, so what the build writes in the source directory (an editable's egg-info) stays theirs: with a
 * cache mount of their uid where the user is numeric, else without a cache. A project install that must
 * run as root hands the source directory over too when the source was copied as the user's.
 */
function syncLines(step: Step, user: string | undefined, args: string, venv = step.stage.venv, owner?: string, sourceChowned = false): string[] {
  const stage = step.stage;
  const kept = stage.keptUser && isMambaUser(user) ? stage.keptUser : undefined;
  if (kept) return [`RUN --mount=type=cache,target=/home/${kept.name}/.cache/uv,uid=${kept.id},gid=${kept.id} uv sync ${args}`];
  if (isRoot(user)) return [`RUN ${UV_CACHE_MOUNT} uv sync ${args}`];
  if (owner !== undefined && resolvedUser(step, user) === owner) {
    const ids = /^(\d+)(?::(\d+))?$/.exec(owner);
    if (ids) return [`RUN --mount=type=cache,target=${USER_CACHE},uid=${ids[1]},gid=${ids[2] ?? ids[1]} uv sync ${args} --cache-dir ${USER_CACHE}`];
    return [`RUN uv sync ${args} --no-cache`];
  }
  // The project's install as root into a root-owned venv: a source directory copied as the user's gets its
  // build files (an editable's egg-info) handed over with the venv.
  const workdir = sourceChowned && !args.includes('--no-install-project') ? step.workdir : undefined;
  const owned = workdir === undefined || venv === undefined ? venv : isUnder(venv, workdir) ? workdir : `${workdir} ${venv}`;
  return ['USER root', `RUN ${UV_CACHE_MOUNT} uv sync ${args} && chown -R ${user} ${owned}`, `USER ${user}`];
}
