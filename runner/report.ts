// What a run tells a person: the short end of a text run, the JSON object (--json), and the Markdown
// report for a pull request (--report): a summary, a checklist, the decisions, the rest folded.
import { DOCKERFILE_NAME } from '../codemods/lib/dockerfiles.js';
import { unifiedDiff } from './diff.js';
import { countBySeverity, where } from './followups.js';
import type { RunResult } from './pipeline.js';
import { REPORT_TITLE } from '../codemods/lib/history.js';
import type { Painter } from './output.js';
import { andList } from '../codemods/lib/text.js';
import { planLines } from './plan.js';
import { redactSecrets } from './secrets.js';
import type { FollowUp } from '../contract/types.js';
/** Unified diffs of every change, created, deleted and renamed files included. */
export function renderDiff(result: RunResult, paint: Painter): string {
  let out = '';
  for (const change of result.changes) {
    const oldName = change.kind === 'created' ? '/dev/null' : `a/${change.from ?? change.path}`;
    const newName = change.kind === 'deleted' ? '/dev/null' : `b/${change.path}`;
    const patch = unifiedDiff(oldName, newName, change.before, change.after);
    const header =
      change.kind === 'renamed'
        ? `diff --git a/${change.from} b/${change.path}\nrename from ${change.from}\nrename to ${change.path}\n`
        : `diff --git a/${change.path} b/${change.path}\n${change.kind === 'created' ? `new file mode ${mode(change.mode)}\n` : change.kind === 'deleted' ? `deleted file mode ${mode(change.mode)}\n` : ''}`;
    out += paint.bold(header) + colourPatch(patch, paint);
  }
  return out;
}

function mode(m: number): string {
  return (0o100000 | m).toString(8);
}

function colourPatch(patch: string, paint: Painter): string {
  return patch
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return paint.bold(line);
      if (line.startsWith('+')) return paint.green(line);
      if (line.startsWith('-')) return paint.red(line);
      if (line.startsWith('@@')) return paint.dim(line);
      return line;
    })
    .join('\n');
}

/** How many blocks and actions the end of a text run lists before "N more in the report". */
const SHOWN = { blocks: 10, action: 5 };

/** "9 files changed: 6 modified, 2 created, 1 deleted", or that nothing changed. */
export function changeCounts(result: RunResult): string {
  const touched = result.files.filter((f) => f.status !== 'unchanged' && f.status !== 'error');
  if (touched.length === 0) return 'Nothing to change.';
  const counts = (['modified', 'created', 'renamed', 'deleted'] as const)
    .map((status) => [status, touched.filter((f) => f.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`);
  return `${touched.length} ${touched.length === 1 ? 'file' : 'files'} changed: ${counts.join(', ')}.`;
}

/** The plan's lines, read before the diff and the file list (nothing when there was nothing to plan). */
export function renderPlan(result: RunResult): string {
  const plan = result.ctx.plan;
  return plan && (plan.refusal || plan.envFiles.length > 0) ? `${planLines(plan).join('\n')}\n\n` : '';
}

/**
 * The end of a text run: what changed (counts; every file with --verbose), the blocks first, then the
 * first actions (all of them when a run wrote without a report), then how many more the report holds,
 * the migration summary and the time.
 */
/**
 * The follow-ups as text: blocks, then actions (the first few unless `all`), then notes with `verbose`;
 * `hidden` is how many were left out.
 */
function followUpLines(followUps: readonly FollowUp[], paint: Painter, opts: { all: boolean; verbose: boolean }): { lines: string[]; hidden: number; info: number } {
  const lines: string[] = [];
  const counts = countBySeverity(followUps);
  const item = (f: FollowUp) => `  ${where(f)}  ${f.message}${paint.dim(`  [${f.codemod}]`)}`;
  const shown = (severity: 'blocks' | 'action', limit: number) => followUps.filter((f) => f.severity === severity).slice(0, opts.all ? undefined : limit);
  let hidden = counts.info;
  if (counts.blocks > 0) {
    const blocks = shown('blocks', SHOWN.blocks);
    hidden += counts.blocks - blocks.length;
    lines.push('', paint.red(paint.bold(`Blocks (${counts.blocks}): the build, CI or lock fails until these are done`)), ...blocks.map(item));
  }
  if (counts.action > 0) {
    const actions = shown('action', SHOWN.action);
    hidden += counts.action - actions.length;
    const title = actions.length < counts.action ? `Actions (${counts.action}), the first ${actions.length}:` : `Actions (${counts.action}):`;
    lines.push('', paint.yellow(paint.bold(title)), ...actions.map(item));
  }
  if (opts.verbose && counts.info > 0) {
    hidden -= counts.info;
    lines.push('', paint.bold(`Notes (${counts.info}):`), ...followUps.filter((f) => f.severity === 'info').map(item));
  }
  return { lines, hidden, info: counts.info };
}

/** What `check` prints: every finding that blocks or needs an action (notes with --verbose), then a count. */
export function renderCheckText(findings: readonly FollowUp[], elapsedMs: number, opts: { verbose: boolean; paint: Painter; dir: string }): string {
  const { lines, hidden } = followUpLines(findings, opts.paint, { all: true, verbose: opts.verbose });
  const counts = countBySeverity(findings);
  const total = counts.blocks + counts.action;
  lines.shift(); // the blank line before the first section
  if (total === 0) lines.push(`Nothing left to do: no conda in executable places, no reader of a missing env file, build contexts and uv setup consistent.`);
  else lines.push('', `${total} finding${total === 1 ? '' : 's'} (${counts.blocks} blocking, ${counts.action} to act on).`);
  if (hidden > 0) lines.push(`${hidden} note${hidden === 1 ? '' : 's'}: --verbose lists them.`);
  lines.push(`Checked ${opts.dir} in ${(elapsedMs / 1000).toFixed(2)} s; nothing was changed.`);
  return `${lines.join('\n')}\n`;
}

/** `check --json`: the findings and their counts. */
export function renderCheckJson(findings: readonly FollowUp[], meta: { version: string; dir: string; elapsedMs: number }): string {
  return JSON.stringify({ version: meta.version, dir: meta.dir, counts: countBySeverity(findings), findings, elapsedMs: Math.round(meta.elapsedMs) }, null, 2);
}

export function renderText(
  result: RunResult,
  elapsedMs: number,
  opts: { dry: boolean; verbose: boolean; paint: Painter; report?: string },
): string {
  const { paint } = opts;
  const lines: string[] = [];
  if (opts.verbose) {
    const colour = { modified: paint.yellow, created: paint.green, deleted: paint.red, renamed: paint.yellow, error: paint.red, unchanged: paint.dim };
    for (const file of result.files) {
      if (file.status === 'error') continue; // on stderr
      const what = file.status === 'renamed' ? `${file.from} -> ${file.path}` : file.path;
      lines.push(`${colour[file.status](file.status.padEnd(9))} ${what}${file.codemod ? paint.dim(`  (${file.codemod})`) : ''}`);
    }
    for (const s of result.stats) {
      lines.push(`${s.name.padEnd(18)} ok ${s.ok}  unchanged ${s.unchanged}  skipped ${s.skipped}  errors ${s.errors}  ${s.ms.toFixed(0)} ms`);
    }
    lines.push('');
  }
  const errors = result.files.filter((f) => f.status === 'error').length;
  lines.push(`${changeCounts(result)}${errors > 0 ? ` ${errors} ${errors === 1 ? 'file' : 'files'} failed (see the errors above).` : ''}`);

  const { lines: listed, hidden, info } = followUpLines(result.followUps, paint, { all: opts.verbose || (!opts.dry && !opts.report), verbose: opts.verbose });
  lines.push(...listed);
  if (hidden > 0 && opts.report) {
    lines.push(`${hidden} more (${info} of them notes) in the report${opts.report === '-' ? '' : ` (${opts.report})`}.`);
  } else if (hidden > 0) {
    lines.push(`${hidden} more (${info} of them notes): --report FILE writes them all, --verbose lists them here.`);
  }
  lines.push(...summaryLines(result));
  lines.push('', `${opts.dry ? 'Dry run: nothing written. ' : ''}Done in ${(elapsedMs / 1000).toFixed(2)} s.`);
  return lines.join('\n') + '\n';
}

/** The short form of the report at the end of every run: what was migrated and what comes next. */
export function summaryLines(result: RunResult): string[] {
  const { conda } = result.ctx;
  if (!result.ctx.migrating) return [];
  const envs = conda.envFiles.filter((e) => e.migrated).length;
  const lines = ['', `Migrated ${envs} of ${conda.envFiles.length} conda env file(s): ${conda.dependencies.length} dependencies, ${conda.dropped.length} conda package(s) dropped, ${conda.systemPackages.length} system package(s) to install.`];
  const conflicts = result.followUps.filter((f) => isConflict(f.message)).length;
  if (conflicts > 0) lines.push(`${conflicts} conflict(s) between the env files and an existing pyproject.toml: see the report.`);
  lines.push(`Next: ${nextSteps(result).slice(0, 2).join(' ').replace(/`/g, '')}`);
  return lines;
}

export function renderJson(result: RunResult, meta: { version: string; dir: string; dry: boolean; elapsedMs: number }): string {
  return JSON.stringify(
    {
      version: meta.version,
      dir: meta.dir,
      dry: meta.dry,
      ...(result.ctx.plan ? { plan: result.ctx.plan } : {}),
      codemods: result.stats.map((s) => ({ ...s, ms: Math.round(s.ms) })),
      files: result.files,
      followUps: result.followUps,
      elapsedMs: Math.round(meta.elapsedMs),
    },
    null,
    2,
  );
}

/** `text` as inline code, fenced with enough backticks. */
function code(text: string): string {
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return longest > 0 || text.startsWith(' ') ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

/** A table cell: pipes escaped, line breaks folded. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

/** A follow-up that records a conflict (`conflict: ...`): listed under Conflicts, not Follow-ups. */
function isConflict(message: string): boolean {
  return /^conflicts?\b/i.test(message);
}

/** Where each migrated env file went in pyproject.toml, in words: the main env and its platform variants, then the groups. */
function envParts(envFiles: RunResult['ctx']['conda']['envFiles']): string[] {
  const migrated = envFiles.filter((e) => e.migrated);
  const main = migrated.filter((e) => e.role === 'main' || e.role === 'platform');
  const parts: string[] = [];
  if (main.length > 0) {
    const markers = main.some((e) => e.role === 'platform') ? ', merged with platform markers' : '';
    parts.push(`${andList(main.map((e) => code(e.path)))} became \`[project] dependencies\`${markers}`);
  }
  for (const e of migrated.filter((e) => e.role === 'group')) parts.push(`${code(e.path)} became the \`${e.group}\` dependency group`);
  return parts;
}


function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The report's opening paragraph: the project, where its env files went, what changed, what is left. */
function summaryParagraph(result: RunResult, dry: boolean): string {
  const { conda } = result.ctx;
  const touched = result.files.filter((f) => f.status !== 'unchanged' && f.status !== 'error');
  const sentences: string[] = [];
  if (result.ctx.migrating) {
    const kind = conda.isPackage ? 'an installable Python package' : 'a Python application (not a package)';
    sentences.push(`This ${dry ? 'dry run would move' : 'change moves'} ${kind}${conda.pythonVersion ? ` on Python ${conda.pythonVersion}` : ''} from conda to uv.`);
    const parts = envParts(conda.envFiles);
    if (parts.length > 0) sentences.push(`In \`pyproject.toml\`: ${parts.join('; ')} (${plural(conda.dependencies.length, 'dependency', 'dependencies')}; ${plural(conda.dropped.length, 'conda-only package')} dropped).`);
    const kept = conda.envFiles.filter((e) => !e.migrated);
    if (kept.length > 0) sentences.push(`${andList(kept.map((e) => code(e.path)))} ${kept.length === 1 ? 'stays' : 'stay'} as ${kept.length === 1 ? 'it is' : 'they are'}.`);
  } else {
    sentences.push(result.ctx.plan?.refusal ?? 'Nothing was migrated to `pyproject.toml`: see the errors and follow-ups below.');
  }
  if (touched.length > 0) {
    // Which files: the changed ones by name (env files deleted are said above), up to a handful.
    const named = touched.filter((f) => f.status !== 'deleted').map((f) => code(f.path));
    const shown = named.length > SUMMARY_FILES ? [...named.slice(0, SUMMARY_FILES - 1), `${named.length - SUMMARY_FILES + 1} more`] : named;
    sentences.push(`${plural(touched.length, 'file')} ${dry ? 'would change' : 'changed'} (${changeCounts(result).replace(/^.*?: |\.$/g, '')}): ${andList(shown)}.`);
  }
  const errors = result.files.filter((f) => f.status === 'error').length;
  if (errors > 0) sentences.push(`${plural(errors, 'file')} could not be migrated and ${errors === 1 ? 'is' : 'are'} left untouched.`);
  const counts = countBySeverity(result.followUps.filter((f) => !isConflict(f.message)));
  sentences.push(
    counts.blocks + counts.action === 0
      ? 'No file needs a change by hand.'
      : `Before merging: ${andList([
          ...(counts.blocks > 0 ? [`${plural(counts.blocks, 'item')} that ${counts.blocks === 1 ? 'blocks' : 'block'} the build, CI or lock`] : []),
          ...(counts.action > 0 ? [plural(counts.action, 'action')] : []),
        ])}.`,
  );
  return sentences.join(' ');
}

/** Files the summary paragraph names before it counts the rest. */
const SUMMARY_FILES = 8;
/** Decisions shown before the rest are folded. */
const SHOWN_DECISIONS = 10;
/**
 * Rows a folded list or table holds at most, so that a big repository's report still fits a pull
 * request's description (GitHub takes 65,536 characters).
 */
const FOLDED_ROWS = 60;

/** At most FOLDED_ROWS of `rows`, then a line that says how many more `what` there are. */
function capped<T extends string | string[]>(rows: readonly T[], what: string): T[] {
  if (rows.length <= FOLDED_ROWS) return [...rows];
  const more = `… and ${rows.length - FOLDED_ROWS} more ${what}`;
  const last = (typeof rows[0] === 'string' ? more : [more]) as T;
  return [...rows.slice(0, FOLDED_ROWS), last];
}

/** A `<details>` block (GitHub folds it), or nothing when it would be empty. */
function details(summary: string, body: string[]): string[] {
  return body.length === 0 ? [] : ['<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>', ''];
}

/**
 * The Markdown report for a pull request: a title and a summary paragraph, the checklist of what to do
 * before merging (GitHub task-list items: blocks, then actions, each with its path:line), the
 * decisions, then the details folded. Repository-relative paths only, credentials redacted, no clock.
 */
export function renderMarkdown(result: RunResult, meta: { dry: boolean }): string {
  const { ctx } = result;
  const { conda } = ctx;
  const out: string[] = [REPORT_TITLE, '', summaryParagraph(result, meta.dry), ''];
  const conflicts = result.followUps.filter((f) => isConflict(f.message));
  const followUps = result.followUps.filter((f) => !isConflict(f.message));

  // The plan first: what kind of project this is and what happens to each env file.
  if (ctx.plan && !ctx.plan.refusal && ctx.plan.envFiles.length > 0) {
    const [first = '', ...files] = planLines(ctx.plan);
    out.push('## Plan', '', `${first.replace(/^Plan: /, 'The project is ')}.`, '');
    if (files.length > 0) out.push(...files.map((l) => `- ${l.trim()}`), '');
  }
  out.push('## Before merging', '');
  const task = (f: FollowUp) => `- [ ] ${f.severity === 'blocks' ? '**Blocks:** ' : ''}${code(where(f))} ${f.message}`;
  out.push(...followUps.filter((f) => f.severity === 'blocks').map(task), ...followUps.filter((f) => f.severity === 'action').map(task));
  const errors = result.files.filter((f) => f.status === 'error');
  for (const f of errors) out.push(`- [ ] **Failed:** ${f.message ?? f.path} (left untouched)`);
  out.push(...nextSteps(result).map((step) => `- [ ] ${step}`));
  if (out.at(-1) === '') out.push('Nothing to do by hand.');
  out.push('');
  if (ctx.migrating && conda.envNames.length > 0) {
    out.push(`After merging, the old conda env can go: ${conda.envNames.map((n) => code(`conda env remove -n ${n}`)).join(', ')}.`, '');
  }

  // Decisions about the run, and on files that did not change; those on changed files are with them below.
  const changedPaths = new Set(result.files.filter((f) => f.status !== 'unchanged').flatMap((f) => (f.from ? [f.path, f.from] : [f.path])));
  const decisions = result.decisions.filter((d) => !d.path || !changedPaths.has(d.path));
  if (decisions.length > 0) {
    const lines = decisions.map((d) => `- ${d.path ? `${code(d.path)}: ` : ''}${d.message}`);
    out.push('## Decisions', '', ...lines.slice(0, SHOWN_DECISIONS), '');
    out.push(...details(`More decisions (${lines.length - SHOWN_DECISIONS})`, capped(lines.slice(SHOWN_DECISIONS), 'decisions')));
  }

  const touched = result.files.filter((f) => f.status !== 'unchanged' && f.status !== 'error');
  const why = new Map<string, string[]>();
  for (const d of result.decisions) if (d.path) why.set(d.path, [...(why.get(d.path) ?? []), d.message]);
  const fileLines: string[] = [];
  for (const f of touched) {
    const env = f.status === 'deleted' ? conda.envFiles.find((e) => e.path === f.path) : undefined;
    const name = f.status === 'renamed' ? `${code(f.from!)} -> ${code(f.path)}` : code(f.path);
    fileLines.push(`- ${f.status}: ${name} (${f.codemod})${env ? ': its dependencies are in `pyproject.toml`' : ''}`);
    for (const reason of [...(why.get(f.path) ?? []), ...(f.from ? (why.get(f.from) ?? []) : [])]) fileLines.push(`  - ${reason}`);
  }
  out.push(...details(`Files changed (${touched.length})`, fileLines));

  if (conda.envFiles.length > 0) {
    const facts: string[] = [];
    if (conda.primary) facts.push(`- Primary env (the one Docker and CI use): ${code(conda.primary.path)}`);
    if (conda.pythonVersion) facts.push(`- Python: ${conda.pythonVersion}${conda.requiresPython ? ` (requires-python ${code(conda.requiresPython)})` : ''}`);
    if (conda.groups.length > 0) facts.push(`- Dependency groups: ${conda.groups.map(code).join(', ')}`);
    facts.push(`- The project is ${conda.isPackage ? 'an installable package' : 'an application, not a package (`[tool.uv] package = false`)'}`);
    if (conda.pytorchIndex) facts.push(`- PyTorch wheels from ${conda.pytorchIndex}`);
    const envTable = table(
      ['file', 'env name', 'role', 'platform', 'Python', 'migrated'],
      conda.envFiles.map((e) => [code(e.path), e.name ? code(e.name) : '', e.role + (e.group ? ` (${e.group})` : ''), e.platform ?? 'any', e.python ?? '', e.migrated ? 'yes' : 'no']),
    );
    out.push(...details(`Conda env files (${conda.envFiles.length})`, [...envTable, '', ...facts]));
  }
  if (conda.dependencies.length > 0) {
    const rows = conda.dependencies.map((d) => {
      const semi = d.requirement.indexOf(';');
      const requirement = semi === -1 ? d.requirement : d.requirement.slice(0, semi).trim();
      const marker = semi === -1 ? '' : d.requirement.slice(semi + 1).trim();
      return [code(requirement), marker ? code(marker) : '', d.group ?? 'project', d.sources.map(code).join(', '), d.conversion];
    });
    const body = table(['requirement', 'marker', 'group', 'from', 'conversion'], capped(rows, 'dependencies: `pyproject.toml` has them all'));
    out.push(...details(`Dependencies in pyproject.toml (${conda.dependencies.length})`, body));
  }
  if (conda.dropped.length > 0) {
    const rows = conda.dropped.map((d) => [code(d.name), d.reason, d.envFiles.map(code).join(', ')]);
    out.push(...details(`Conda packages not carried over (${conda.dropped.length})`, table(['package', 'why', 'from'], capped(rows, 'packages'))));
  }
  if (conda.systemPackages.length > 0) {
    const body = ['Non-Python tools that conda provided: install them with the system package manager (Debian/Ubuntu names).', ''];
    for (const p of conda.systemPackages) body.push(`- ${code(p.debian)} (conda ${code(p.conda)}, from ${code(p.envFile)})`);
    out.push(...details(`System packages (${conda.systemPackages.length})`, body));
  }
  if (conflicts.length > 0) {
    const body = ['Where the env files and the existing `pyproject.toml` disagreed, and what was kept.', ''];
    body.push(...capped(conflicts.map((f) => `- ${code(where(f))}: ${f.message.replace(/^conflicts?:?\s*/i, '')}`), 'conflicts'));
    out.push(...details(`Conflicts with the existing pyproject.toml (${conflicts.length})`, body));
  }
  const notes = followUps.filter((f) => f.severity === 'info');
  out.push(...details(`Notes, worth knowing (${notes.length})`, capped(notes.map((f) => `- ${code(where(f))} ${f.message}`), 'notes: `--json` lists them all')));
  return redactSecrets(out.join('\n').trimEnd() + '\n');
}

/** What a person does after the run, from what the run changed. */
function nextSteps(result: RunResult): string[] {
  const { ctx } = result;
  if (!ctx.migrating) return [];
  const paths = result.files.filter((f) => f.status !== 'unchanged' && f.status !== 'error').map((f) => f.path);
  const steps = [
    result.fs.exists('uv.lock') ? 'Check `uv.lock` is up to date: `uv lock --check`, and commit it.' : 'Run `uv lock` to write `uv.lock` (or run this tool with `--lock`), and commit it.',
    `Run \`uv sync\`, then \`uv run pytest\` (or your test command) to check the environment${ctx.conda.pythonVersion ? ` on Python ${ctx.conda.pythonVersion}` : ''}.`,
  ];
  if (ctx.conda.systemPackages.length > 0) steps.push(`Install the system packages conda provided (${ctx.conda.systemPackages.map((s) => code(s.debian)).join(', ')}).`);
  const images = paths.filter((p) => DOCKERFILE_NAME.test(p));
  const compose = paths.filter((p) => /(?:^|\/)(?:docker-)?compose[^/]*\.ya?ml$/.test(p));
  if (compose.length > 0) {
    const file = /^(?:docker-)?compose\.ya?ml$/.test(compose[0]!) ? '' : ` -f ${compose[0]}`;
    steps.push(`Rebuild and start the services: ${code(`docker compose${file} up --build`)}.`);
  } else if (images.length > 0) steps.push(`Rebuild the image(s): ${images.map((p) => code(`docker build -f ${p} .`)).join(', ')}.`);
  if (paths.some((p) => p.startsWith('.github/workflows/') || p === '.gitlab-ci.yml')) steps.push('Push a branch and check that CI passes with uv.');
  return steps;
}
