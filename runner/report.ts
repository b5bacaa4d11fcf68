// What a run tells a person: text lines, the JSON object (--json), and the Markdown report (--report).
import { unifiedDiff } from './diff.js';
import type { RunResult } from './pipeline.js';
import { REPORT_TITLE } from './leftovers.js';
import { planLines } from './plan.js';
import type { FollowUp } from './types.js';

export interface Painter {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export function painter(enabled: boolean): Painter {
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return { red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

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

export function groupFollowUps(followUps: readonly FollowUp[]): Map<string, FollowUp[]> {
  const byPath = new Map<string, FollowUp[]>();
  const sorted = [...followUps].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  for (const f of sorted) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f]);
  return byPath;
}

/** The plan's lines, read before the diff and the file list (nothing when there was nothing to plan). */
export function renderPlan(result: RunResult): string {
  const plan = result.ctx.plan;
  return plan && (plan.refusal || plan.envFiles.length > 0) ? `${planLines(plan).join('\n')}\n\n` : '';
}

export function renderText(result: RunResult, elapsedMs: number, opts: { dry: boolean; verbose: boolean; paint: Painter }): string {
  const { paint } = opts;
  const lines: string[] = [];
  const colour = { modified: paint.yellow, created: paint.green, deleted: paint.red, renamed: paint.yellow, error: paint.red, unchanged: paint.dim };
  for (const file of result.files) {
    if (file.status === 'unchanged' && !opts.verbose) continue;
    const what = file.status === 'renamed' ? `${file.from} -> ${file.path}` : file.status === 'error' ? (file.message ?? file.path) : file.path;
    lines.push(`${colour[file.status](file.status.padEnd(9))} ${what}${file.codemod && file.status !== 'error' ? paint.dim(`  (${file.codemod})`) : ''}`);
  }
  if (lines.length === 0) lines.push('Nothing to change.');
  lines.push('');
  for (const s of result.stats) {
    lines.push(`${s.name.padEnd(18)} ok ${s.ok}  unchanged ${s.unchanged}  skipped ${s.skipped}  errors ${s.errors}${opts.verbose ? `  ${s.ms.toFixed(0)} ms` : ''}`);
  }
  const grouped = groupFollowUps(result.followUps);
  if (grouped.size > 0) {
    lines.push('', paint.bold(`Follow-ups (${result.followUps.length}): what a person still has to do`));
    for (const [path, items] of grouped) {
      lines.push(`  ${path}`);
      for (const f of items) lines.push(`    ${f.line !== undefined ? `${f.line}: ` : ''}${f.message}${paint.dim(`  [${f.codemod}]`)}`);
    }
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
  if (conflicts > 0) lines.push(`${conflicts} conflict(s) between the env files and an existing pyproject.toml: see the follow-ups.`);
  lines.push(`Next: ${nextSteps(result, 0).slice(0, 2).join(' ').replace(/`/g, '')}`);
  lines.push('For every decision, write the full report with --report FILE.');
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

/** The Markdown migration report: readable on its own, deterministic (no clock, no absolute paths but the directory). */
export function renderMarkdown(result: RunResult, meta: { dir: string; dry: boolean }): string {
  const { ctx } = result;
  const { conda } = ctx;
  const out: string[] = [REPORT_TITLE, ''];
  const touched = result.files.filter((f) => f.status !== 'unchanged');
  const count = (status: string) => touched.filter((f) => f.status === status).length;
  const conflicts = result.followUps.filter((f) => isConflict(f.message));
  const followUps = result.followUps.filter((f) => !isConflict(f.message));
  out.push(`Directory: ${code(meta.dir)}${meta.dry ? ' (dry run: nothing was written)' : ''}`, '');
  out.push(
    `${touched.length} file(s) touched: ${count('modified')} modified, ${count('created')} created, ${count('renamed')} renamed, ${count('deleted')} deleted${count('error') > 0 ? `, ${count('error')} with errors` : ''}. ${followUps.length} follow-up(s) for a person${conflicts.length > 0 ? `, ${conflicts.length} conflict(s)` : ''}.`,
    '',
  );

  if (ctx.plan && (ctx.plan.refusal || ctx.plan.envFiles.length > 0)) {
    const [first = '', ...files] = planLines(ctx.plan);
    out.push('## Plan', '', first.replace(/^Plan: /, 'The project is '), '');
    if (files.length > 0) out.push(...files.map((l) => `- ${l.trim()}`), '');
  }
  if (conda.envFiles.length > 0) {
    out.push('## Inventory', '', '### Conda environment files', '');
    out.push(
      ...table(
        ['file', 'env name', 'role', 'platform', 'Python', 'migrated'],
        conda.envFiles.map((e) => [code(e.path), e.name ? code(e.name) : '', e.role + (e.group ? ` (${e.group})` : ''), e.platform ?? 'any', e.python ?? '', e.migrated ? 'yes' : 'no']),
      ),
      '',
    );
    const facts: string[] = [];
    if (conda.primary) facts.push(`- Primary env (the one Docker and CI use): ${code(conda.primary.path)}`);
    if (conda.pythonVersion) facts.push(`- Python: ${conda.pythonVersion}${conda.requiresPython ? ` (requires-python ${code(conda.requiresPython)})` : ''}`);
    if (conda.groups.length > 0) facts.push(`- Dependency groups: ${conda.groups.map(code).join(', ')}`);
    facts.push(`- The project is ${conda.isPackage ? 'an installable package' : 'an application, not a package (`[tool.uv] package = false`)'}`);
    if (conda.pytorchIndex) facts.push(`- PyTorch wheels from ${conda.pytorchIndex}`);
    out.push(...facts, '');
  }
  if (conda.dependencies.length > 0) {
    out.push('### Dependencies', '', 'As written into `pyproject.toml`, with where each came from and how its conda spec was converted.', '');
    const rows = conda.dependencies.map((d) => {
      const semi = d.requirement.indexOf(';');
      const requirement = semi === -1 ? d.requirement : d.requirement.slice(0, semi).trim();
      const marker = semi === -1 ? '' : d.requirement.slice(semi + 1).trim();
      return [code(requirement), marker ? code(marker) : '', d.group ?? 'project', d.sources.map(code).join(', '), d.conversion];
    });
    out.push(...table(['requirement', 'marker', 'group', 'from', 'conversion'], rows), '');
  }
  if (conda.dropped.length > 0) {
    out.push('### Conda packages not carried over', '');
    out.push(...table(['package', 'why', 'from'], conda.dropped.map((d) => [code(d.name), d.reason, d.envFiles.map(code).join(', ')])), '');
  }
  if (conda.systemPackages.length > 0) {
    out.push('### System packages', '', 'Non-Python tools that conda provided: install them with the system package manager (Debian/Ubuntu names).', '');
    for (const s of conda.systemPackages) out.push(`- ${code(s.debian)} (conda ${code(s.conda)}, from ${code(s.envFile)})`);
    out.push('');
  }

  // Every file and why: the decisions taken on it.
  const why = new Map<string, string[]>();
  const general: string[] = [];
  for (const d of result.decisions) {
    const line = `${d.message} (${d.codemod})`;
    if (d.path) why.set(d.path, [...(why.get(d.path) ?? []), line]);
    else general.push(line);
  }
  out.push('## Files', '');
  if (touched.length === 0) out.push('No file changed.');
  for (const f of touched) {
    const name = f.status === 'renamed' ? `${f.from} -> ${f.path}` : f.path;
    // An error of a codemod's finish step has no path: its message says where.
    out.push(`- ${f.status}: ${name ? `${code(name)} ` : ''}${f.codemod ? `(${f.codemod})` : ''}${f.message ? `: ${f.message}` : ''}`.replace(/ :/, ':'));
    for (const reason of [...(why.get(f.path) ?? []), ...(f.from ? (why.get(f.from) ?? []) : [])]) out.push(`  - ${reason}`);
    why.delete(f.path);
    if (f.from) why.delete(f.from);
  }
  out.push('');
  const renamed = touched.filter((f) => f.status === 'renamed');
  const deleted = touched.filter((f) => f.status === 'deleted');
  if (renamed.length + deleted.length > 0) {
    out.push('## Renames and deletions', '', 'References to these files elsewhere were updated where a rule knew how; the rest are follow-ups below.', '');
    for (const f of renamed) out.push(`- ${code(f.from!)} is now ${code(f.path)}`);
    for (const f of deleted) {
      const env = conda.envFiles.find((e) => e.path === f.path);
      out.push(`- ${code(f.path)} deleted${env ? ': its dependencies are in `pyproject.toml`' : ''}`);
    }
    out.push('');
  }
  // Decisions on files that did not change, and decisions about the whole run.
  const other = [...general, ...[...why].flatMap(([path, reasons]) => reasons.map((r) => `${code(path)}: ${r}`))];
  if (other.length > 0) {
    out.push('## Other decisions', '');
    for (const d of other) out.push(`- ${d}`);
    out.push('');
  }
  if (conflicts.length > 0) {
    out.push('## Conflicts', '', 'Where the inputs disagreed, and what was kept.', '');
    for (const f of conflicts) out.push(`- ${code(f.path)}${f.line !== undefined ? ` line ${f.line}` : ''}: ${f.message.replace(/^conflicts?:?\s*/i, '')} (${f.codemod})`);
    out.push('');
  }
  out.push(`## Follow-ups (${followUps.length})`, '');
  const grouped = groupFollowUps(followUps);
  if (grouped.size === 0) out.push('None.', '');
  for (const [path, items] of grouped) {
    out.push(`### ${code(path)}`, '');
    for (const f of items) out.push(`- ${f.line !== undefined ? `line ${f.line}: ` : ''}${f.message} (${f.codemod})`);
    out.push('');
  }
  out.push('## Next steps', '');
  out.push(...nextSteps(result, followUps.length).map((step, i) => `${i + 1}. ${step}`));
  return out.join('\n') + '\n';
}

/** What a person does after the run, from what the run changed. */
function nextSteps(result: RunResult, followUps: number): string[] {
  const { ctx } = result;
  if (!ctx.migrating) return ['No conda environment file was found: nothing to migrate.'];
  const paths = result.files.filter((f) => f.status !== 'unchanged' && f.status !== 'error').map((f) => f.path);
  const steps = [
    result.fs.exists('uv.lock') ? 'Check `uv.lock` is up to date: `uv lock --check`, and commit it.' : 'Run `uv lock` to write `uv.lock` (or run this tool with `--lock`), and commit it.',
    `Run \`uv sync\`, then \`uv run pytest\` (or your test command) to check the environment${ctx.conda.pythonVersion ? ` on Python ${ctx.conda.pythonVersion}` : ''}.`,
  ];
  if (ctx.conda.systemPackages.length > 0) steps.push(`Install the system packages listed above (${ctx.conda.systemPackages.map((s) => code(s.debian)).join(', ')}).`);
  const images = paths.filter((p) => /(?:^|\/)(?:Dockerfile[^/]*|[^/]*\.Dockerfile)$/.test(p));
  const compose = paths.filter((p) => /(?:^|\/)(?:docker-)?compose[^/]*\.ya?ml$/.test(p));
  if (compose.length > 0) {
    const file = /^(?:docker-)?compose\.ya?ml$/.test(compose[0]!) ? '' : ` -f ${compose[0]}`;
    steps.push(`Rebuild and start the services: ${code(`docker compose${file} up --build`)}.`);
  }
  else if (images.length > 0) steps.push(`Rebuild the image(s): ${images.map((p) => code(`docker build -f ${p} .`)).join(', ')}.`);
  if (paths.some((p) => p.startsWith('.github/workflows/') || p === '.gitlab-ci.yml')) steps.push('Push a branch and check that CI passes with uv.');
  if (followUps > 0) steps.push(`Work through the ${followUps} follow-up(s) above.`);
  if (ctx.conda.envNames.length > 0) steps.push(`When all is well, remove the old conda env(s): ${ctx.conda.envNames.map((n) => code(`conda env remove -n ${n}`)).join(', ')}.`);
  return steps;
}
