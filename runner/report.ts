// What a run tells a person: text lines, the JSON object (--json), and the Markdown report (--report).
import { createTwoFilesPatch } from 'diff';
import type { RunResult } from './pipeline.js';
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
    let patch = createTwoFilesPatch(oldName, newName, change.before, change.after, undefined, undefined, { context: 3 });
    patch = patch.replace(/^=+\n/m, '');
    patch = patch.replace(/^Index: .*\n/m, '');
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
  lines.push('', `${opts.dry ? 'Dry run: nothing written. ' : ''}Done in ${(elapsedMs / 1000).toFixed(2)} s.`);
  return lines.join('\n') + '\n';
}

export function renderJson(result: RunResult, meta: { version: string; dir: string; dry: boolean; elapsedMs: number }): string {
  return JSON.stringify(
    {
      version: meta.version,
      dir: meta.dir,
      dry: meta.dry,
      codemods: result.stats.map((s) => ({ ...s, ms: Math.round(s.ms) })),
      files: result.files,
      followUps: result.followUps,
      elapsedMs: Math.round(meta.elapsedMs),
    },
    null,
    2,
  );
}

/** The Markdown migration report: readable on its own. */
export function renderMarkdown(result: RunResult, meta: { dir: string; dry: boolean }): string {
  const { ctx } = result;
  const out: string[] = ['# Migration report: Conda to uv', ''];
  out.push(`Directory: \`${meta.dir}\`${meta.dry ? ' (dry run: nothing was written)' : ''}`, '');
  if (ctx.conda.envFiles.length > 0) {
    out.push('## Conda environment files', '', '| file | role | platform | python |', '| --- | --- | --- | --- |');
    for (const e of ctx.conda.envFiles) out.push(`| \`${e.path}\` | ${e.role}${e.group ? ` (${e.group})` : ''} | ${e.platform ?? 'any'} | ${e.python ?? '?'} |`);
    out.push('');
  }
  if (ctx.conda.dependencies.length > 0) {
    out.push('## Dependencies', '', '| requirement | group | from | conversion |', '| --- | --- | --- | --- |');
    for (const d of ctx.conda.dependencies) out.push(`| \`${d.requirement}\` | ${d.group ?? 'project'} | ${d.sources.map((s) => `\`${s}\``).join(', ')} | ${d.conversion.replace(/\|/g, '\\|')} |`);
    out.push('');
  }
  if (ctx.conda.dropped.length > 0) {
    out.push('## Conda packages not carried over', '', '| package | why | from |', '| --- | --- | --- |');
    for (const d of ctx.conda.dropped) out.push(`| ${d.name} | ${d.reason} | ${d.envFiles.map((s) => `\`${s}\``).join(', ')} |`);
    out.push('');
  }
  if (ctx.conda.systemPackages.length > 0) {
    out.push('## System packages', '', 'Non-Python tools that conda provided; install them with the system package manager.', '');
    for (const s of ctx.conda.systemPackages) out.push(`- \`${s.debian}\` (conda \`${s.conda}\`, from \`${s.envFile}\`)`);
    out.push('');
  }
  out.push('## Files', '');
  const touched = result.files.filter((f) => f.status !== 'unchanged');
  if (touched.length === 0) out.push('No file changed.');
  for (const f of touched) out.push(`- ${f.status}: \`${f.status === 'renamed' ? `${f.from} -> ${f.path}` : f.path}\`${f.codemod ? ` (${f.codemod})` : ''}${f.message ? `: ${f.message}` : ''}`);
  out.push('');
  if (result.decisions.length > 0) {
    out.push('## Decisions', '');
    for (const d of result.decisions) out.push(`- ${d.path ? `\`${d.path}\`: ` : ''}${d.message} (${d.codemod})`);
    out.push('');
  }
  out.push('## Follow-ups', '');
  const grouped = groupFollowUps(result.followUps);
  if (grouped.size === 0) out.push('None.');
  for (const [path, items] of grouped) {
    out.push(`### \`${path}\``, '');
    for (const f of items) out.push(`- ${f.line !== undefined ? `line ${f.line}: ` : ''}${f.message}`);
    out.push('');
  }
  out.push('## Next steps', '');
  if (ctx.migrating) {
    out.push('1. `uv lock` to write `uv.lock` (or run this tool with `--lock`), and commit it.');
    out.push('2. `uv sync`, then `uv run pytest` (or your test command) to check the environment.');
    out.push('3. Rebuild the Docker image(s) and re-run CI.');
    out.push('4. Work through the follow-ups above.');
  } else {
    out.push('No conda environment file was found: nothing to migrate.');
  }
  return out.join('\n') + '\n';
}
