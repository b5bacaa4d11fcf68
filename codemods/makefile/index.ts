// Makefiles: keep every target, switch what it does from conda to uv. Recipes go through the shell
// engine (`uv-run` policy) with make syntax masked; the conda macros (activation, `conda run` prefix,
// env name, conda base) are rewritten where they are used and removed once nothing needs them.
import type { Api, Codemod, FileInfo, InventoryApi } from '../../contract/types.js';
import { HOSTS, loadShellParser, rewriteShell } from '../lib/shell/index.js';
import { applyEdits, explainingComment, wholeLines, type Edit } from '../lib/text.js';
import { CONDA_WORD } from '../lib/conda/vocabulary.js';
import { analyseVariables, condaRunCommandAt, ENV_BIN, isCondaPlumbing, type CondaVar } from './conda-vars.js';
import { findRefs, lexMakefile, referencedNames, type LogicalLine, type Makefile } from './lexer.js';
import { maskRecipe, unmaskRecipe, type Replacement } from './mask.js';

/** A Makefile's logical lines, once per run: the inventory, the transform and finish lex the same texts. */
const lexOnce = (api: Pick<Api, 'parseOnce'>, source: string): Makefile => api.parseOnce('makefile', source, lexMakefile);

// The run's state: what every Makefile and *.mk defines and refers to, so a conda macro defined in
// an included file is recognised where it is used, and removed once no file uses it.
interface MakeFacts {
  /** Variable name -> its raw value (make syntax) and the file defining it (the last one read wins). */
  definitions: Map<string, { path: string; value: string }>;
  /** Make file path -> the variables it referred to before the migration. */
  references: Map<string, Set<string>>;
}

const ECHO = /^\s*(?:echo|printf)\b/;

interface Recipe {
  /** Index of the recipe text (after the prefix and any `@-+`). */
  start: number;
  end: number;
  line: number;
  /** The recipe prefix to restore on continuation lines ('' when they had none). */
  prefix: string;
  hadPrefix: boolean;
  rule: number;
  /** The whole lines to remove if the recipe ends up empty (undefined: an inline `target: ; recipe`). */
  removable?: { start: number; end: number };
}

/** Names of `define`s used in recipes that are not conda macros themselves: canned recipes, whose lines are shell. */
function cannedRecipes(make: Makefile, source: string, vars: Map<string, CondaVar>): Set<string> {
  const usedInRecipes = new Set<string>();
  for (const l of make.lines) if (l.kind === 'recipe') for (const name of referencedNames(source.slice(l.body, l.end))) usedInRecipes.add(name);
  return new Set(
    make.lines.flatMap((l) => (l.kind === 'define' && usedInRecipes.has(l.assign.name) && vars.get(l.assign.name)?.kind === 'other' ? [l.assign.name] : [])),
  );
}

/** The shell snippets of a Makefile: recipe lines, inline `; recipes`, and canned recipes in `define`. */
function recipes(make: Makefile, source: string, canned: Set<string>): Recipe[] {
  const out: Recipe[] = [];
  const push = (start: number, end: number, line: number, rule: number, prefix: string, removable?: { start: number; end: number }) => {
    const lead = /^[@+\-\s]*/.exec(source.slice(start, end))![0].length;
    const text = source.slice(start, end);
    const continuations = text.split('\\\n').slice(1);
    const hadPrefix = prefix !== '' && continuations.every((c) => c.startsWith(prefix));
    out.push({ start: start + lead, end, line, prefix, hadPrefix, rule, ...(removable ? { removable } : {}) });
  };
  make.lines.forEach((l, index) => {
    if (l.kind === 'recipe') {
      push(l.body, l.end, l.line, l.rule, make.recipePrefix, wholeLines(source, l.start, l.end));
    } else if (l.kind === 'rule' && l.inlineRecipe !== undefined) {
      push(l.inlineRecipe, l.end, l.line, index, '');
    }
  });
  for (const l of make.lines) {
    if (l.kind !== 'define' || !canned.has(l.assign.name)) continue;
    let at = l.assign.valueStart;
    let line = l.line + 1;
    for (const bodyLine of source.slice(l.assign.valueStart, l.assign.valueEnd).split('\n')) {
      if (bodyLine.trim()) push(at, at + bodyLine.length, line, -1, '', wholeLines(source, at, at + bodyLine.length));
      at += bodyLine.length + 1;
      line++;
    }
  }
  return out;
}

/** The file activates a conda env somewhere (directly or through a macro). */
const ACTIVATES = /\b(?:conda|mamba|micromamba)\s+(?:activate|shell)\b|\bsource\s+activate\b|profile\.d\/(?:conda|mamba|micromamba)\.sh/;

/** `SHELL := /bin/bash --login`, `.SHELLFLAGS := -lc`: the login shell only served conda activation. */
function loginShellEdits(source: string, make: Makefile, api: Api<MakeFacts>, path: string): Edit[] {
  const edits: Edit[] = [];
  for (const l of make.lines) {
    if (l.kind !== 'assignment' || (l.assign.name !== 'SHELL' && l.assign.name !== '.SHELLFLAGS')) continue;
    const value = source.slice(l.assign.valueStart, l.assign.valueEnd);
    const plain = value
      .replace(/[ \t]+(?:--login|-l)(?=\s|$)/g, '')
      .replace(/^(?:--login|-l)[ \t]+/, '')
      .replace(/(^|\s)-([a-km-z]*)l([a-z]*c)(?=\s|$)/g, '$1-$2$3');
    if (plain === value) continue;
    edits.push({ start: l.assign.valueStart, end: l.assign.valueEnd, text: plain });
    api.decide(`${l.assign.name}: dropped the login-shell flag, which only served conda activation`, path);
  }
  return edits;
}

/** Shell run by make itself: `$(shell ...)` in a definition or conditional, and the value of a `!=` assignment. */
function shellIn(source: string, l: LogicalLine): Recipe[] {
  const snippet = (start: number, end: number): Recipe => ({ start, end, line: lineOf(source, l, start), prefix: '', hadPrefix: false, rule: -1 });
  if ((l.kind === 'assignment' || l.kind === 'define') && l.assign.op === '!=') {
    return CONDA_WORD.test(source.slice(l.assign.valueStart, l.assign.valueEnd)) && !/\binfo\s+--base\b/.test(source.slice(l.assign.valueStart, l.assign.valueEnd)) ? [snippet(l.assign.valueStart, l.assign.valueEnd)] : [];
  }
  const [from, to] = l.kind === 'assignment' || l.kind === 'define' ? [l.assign.valueStart, l.assign.valueEnd] : [l.start, l.end];
  const out: Recipe[] = [];
  const walk = (text: string, base: number) => {
    for (const ref of findRefs(text, base)) {
      const inner = source.slice(ref.start + 2, ref.end - 1);
      const body = /^shell[ \t]+/.exec(inner);
      if (ref.fn === 'shell' && body && CONDA_WORD.test(inner) && !/\binfo\s+--base\b/.test(inner)) out.push(snippet(ref.start + 2 + body[0].length, ref.end - 1));
      else if (!ref.name) walk(inner, ref.start + 2);
    }
  };
  walk(source.slice(from, to), from);
  return out;
}

/** 1-based line of `index`, counted from the logical line that holds it. */
function lineOf(source: string, l: LogicalLine, index: number): number {
  let line = l.line;
  for (let i = source.indexOf('\n', l.start); i !== -1 && i < index; i = source.indexOf('\n', i + 1)) line++;
  return line;
}

/** Where an activation macro is used in a recipe: the macro, its env argument and the `&&`/`;` that glues it on. */
function activationSpan(text: string, start: number, end: number, takesEnv: boolean): { start: number; end: number } {
  let to = end;
  if (takesEnv) to += /^[ \t]+[^\s;&|]+/.exec(text.slice(to))?.[0].length ?? 0;
  const after = /^[ \t]*(?:&&|;)(?:[ \t]*\\\n)?[ \t]*/.exec(text.slice(to));
  if (after) return { start, end: to + after[0].length };
  const before = /[ \t]*(?:&&|;)[ \t]*$/.exec(text.slice(0, start));
  if (before) return { start: start - before[0].length, end: to };
  return { start, end: to };
}

/**
 * The macro reaches an env the migration keeps on conda (an R env, role 'unmigratable'): its uses
 * stay (`after`: the recipe text after the reference, where `$(CONDA_ACTIVATE) NAME` gives the name).
 */
function keptOnConda(v: CondaVar, after: string, api: Api<MakeFacts>): boolean {
  if (v.kind !== 'activate' && v.kind !== 'run') return false;
  const name = v.takesEnv ? /^[ \t]+([^\s;&|]+)/.exec(after)?.[1] : /(?:activate|-n|--name)\s+(\S+)/.exec(v.expanded)?.[1];
  return name !== undefined && api.ctx.conda.envFiles.some((e) => e.role === 'unmigratable' && e.name === name);
}

interface Rewritten {
  text: string;
  notes: { line: number; message: string }[];
}

/** One recipe through the shell engine; undefined when nothing changed. */
/**
 * One recipe through the shell engine; undefined when nothing changed. `venvActivation`: the Makefile's
 * way to activate the project venv, written where the activation macro ran what `uv run` does not cover
 * (the engine's rule, HostPolicy.venvActivation).
 */
function rewriteRecipe(
  source: string,
  recipe: Recipe,
  vars: Map<string, CondaVar>,
  api: Api<MakeFacts>,
  activatedIn: boolean,
  pythonByDef: Set<string>,
  venvActivation?: string,
): (Rewritten & { activatedAfter: boolean }) | undefined {
  const text = source.slice(recipe.start, recipe.end);
  let fixed: Replacement[] = []; // activation macros: removed, the line then runs activated
  const venvFixed: Replacement[] = []; // the same macros as the project venv's activation
  const inline: Replacement[] = []; // macros shown to the engine as their value
  const fallback: Replacement[] = []; // what a macro becomes if its value did not rewrite cleanly
  let activated = activatedIn;
  for (const ref of findRefs(text)) {
    const v = ref.name ? vars.get(ref.name) : undefined;
    if (!v || keptOnConda(v, text.slice(ref.end), api)) continue;
    if (v.kind === 'activate') {
      fixed.push({ ...activationSpan(text, ref.start, ref.end, v.takesEnv), shell: '' });
      const envArg = v.takesEnv ? (/^[ \t]+[^\s;&|]+/.exec(text.slice(ref.end))?.[0].length ?? 0) : 0;
      // (A trailing activation ran nothing: it just goes.)
      if (venvActivation && text.slice(ref.end + envArg).trim() !== '') venvFixed.push({ start: ref.start, end: ref.end + envArg, shell: venvActivation });
      activated = true;
    } else if (v.kind === 'run' || v.kind === 'alias' || (v.kind === 'python' && !pythonByDef.has(v.name))) {
      inline.push({ start: ref.start, end: ref.end, make: v.raw });
      if (v.kind === 'run') fallback.push({ start: ref.start, end: ref.end, shell: 'uv run' });
    }
  }
  const attempt = (pieces: Replacement[]) => {
    const all = [...fixed, ...pieces.filter((p) => !fixed.some((f) => p.start < f.end && f.start < p.end))];
    const masked = maskRecipe(text, recipe.prefix, all);
    const result = rewriteShell(masked.text, { host: { ...HOSTS.makefile, venvActivation }, activated, ctx: api.ctx, renames: api.fs.renames });
    return { make: unmaskRecipe(result.text, masked, recipe.prefix, recipe.hadPrefix), result, masked };
  };
  // A macro's value (`conda run -n $(ENV)`, `CONDA = mamba`, `PYTHON = python`) lets the engine see what
  // runs; if that does not get rid of conda, the reference stays (or becomes `uv run` for a run prefix).
  // (Each attempt parses the snippet, which is the costly part: the plain one runs only when needed.)
  let run = inline.length > 0 ? attempt(inline) : attempt([]);
  if (inline.length > 0 && !(run.result.changed && !CONDA_WORD.test(run.make))) run = attempt(fallback.length > 0 ? fallback : []);
  // The macro activated the env for a command uv run does not cover: it becomes the venv's activation.
  if (venvFixed.length > 0 && run.result.needsActivation) {
    fixed = venvFixed;
    activated = activatedIn;
    run = attempt(inline.length > 0 && !run.make.includes('uv run') ? inline : []);
  }
  const notes = run.result.notes.map((n) => ({
    line: recipe.line + (run.masked.lines[n.line - 1] ?? n.line - 1),
    message: n.message.replace(/\$\{__mk(\d+)__\}/g, (_, i: string) => run.masked.refs[Number(i)]!),
  }));
  if (run.make === text && notes.length === 0) return undefined;
  return { text: run.make, notes, activatedAfter: run.result.activatedAfter };
}

/** A guard that stops make unless a conda env is active (it would now always fire). */
const ENV_GUARD_TEST = /^\s*(?:ifn?def\s+CONDA_(?:PREFIX|DEFAULT_ENV)\s*$|ifn?eq\b.*\bCONDA_(?:PREFIX|DEFAULT_ENV)\b)/;
const GUARD_BODY = /^\s*(?:\$\((?:error|warning|info)\s[^]*\)|[@-]*\s*(?:echo|printf)\b[^;&|]*(?:(?:;|&&)\s*(?:exit\s+[1-9]\d*|false))?|[@-]*\s*(?:exit\s+[1-9]\d*|false))\s*$/;

/** `ifndef CONDA_PREFIX` ... `$(error activate the env first)` ... `endif`: whole blocks to remove. */
function envGuards(source: string, make: Makefile, api: Api<MakeFacts>, path: string): Edit[] {
  const edits: Edit[] = [];
  make.lines.forEach((l, i) => {
    if (l.kind !== 'conditional' || !l.keyword.startsWith('if') || !ENV_GUARD_TEST.test(source.slice(l.start, l.end))) return;
    let j = i + 1;
    for (; j < make.lines.length && make.lines[j]!.kind !== 'conditional'; j++) {
      const body = make.lines[j]!;
      const text = source.slice(body.kind === 'recipe' ? body.body : body.start, body.end);
      if (body.kind !== 'blank' && body.kind !== 'comment' && !GUARD_BODY.test(text)) return;
    }
    const end = make.lines[j];
    if (end?.kind !== 'conditional' || end.keyword !== 'endif') return; // an else branch or a nested if: left alone
    edits.push({ ...withCondaComment(source, wholeLines(source, l.start, end.end)), text: '' });
    api.decide(`removed the guard at line ${l.line} that required an active conda env: uv run needs none`, path);
  });
  return edits;
}

/** Variables of kind 'python' whose every use is in a recipe that used the activation macro. */
function pythonVarsUsedOnlyActivated(source: string, make: Makefile, vars: Map<string, CondaVar>): Set<string> {
  const activatedOnly = new Set([...vars.values()].filter((v) => v.kind === 'python' && v.defs.length > 0).map((v) => v.name));
  const used = new Set<string>();
  for (const l of make.lines) {
    const start = l.kind === 'assignment' || l.kind === 'define' ? l.assign.valueStart : l.start;
    const text = source.slice(start, l.kind === 'assignment' || l.kind === 'define' ? l.assign.valueEnd : l.end);
    const names = referencedNames(text);
    const activates = l.kind === 'recipe' && findRefs(text).some((r) => r.name && vars.get(r.name)?.kind === 'activate');
    for (const name of names) {
      if (!activates) activatedOnly.delete(name);
      else used.add(name);
    }
  }
  return new Set([...activatedOnly].filter((name) => used.has(name)));
}

/** A removed definition takes the comment lines right above it along when they only talk about conda. */
function withCondaComment(source: string, span: { start: number; end: number }): { start: number; end: number } {
  const start = explainingComment(source, span.start, { comment: /^\s*#/, line: (line) => /conda|mamba|activat/i.test(line) });
  // A block that stood between two blank lines takes one of them along, so no double blank is left.
  const blankBefore = start === 0 || /(?:^|\n)[ \t]*\n$/.test(source.slice(Math.max(0, start - 2), start)) || start === 1;
  const blankAfter = /^[ \t]*(?:\n|$)/.exec(source.slice(span.end));
  return { start, end: blankBefore && blankAfter && span.end < source.length ? span.end + blankAfter[0].length : span.end };
}

/** The variables a Makefile refers to (a definition's reference to itself, `X += $(X)`, does not count). */
function namesUsed(make: Makefile, source: string): Set<string> {
  const used = new Set<string>();
  for (const l of make.lines) {
    if (l.kind === 'assignment' || l.kind === 'define') {
      for (const name of referencedNames(source.slice(l.assign.valueStart, l.assign.valueEnd))) if (name !== l.assign.name) used.add(name);
    } else if (l.kind !== 'export') {
      for (const name of referencedNames(source.slice(l.start, l.end))) used.add(name);
      const tested = /^\s*ifn?def\s+(\S+)/.exec(source.slice(l.start, l.end));
      if (tested) used.add(tested[1]!);
    }
  }
  return used;
}

/**
 * Remove the variables the rewrite left unused (repeated: one may have fed another): conda plumbing,
 * and any other that was used before and is not exported (a child process may read an exported one).
 * `references`: the names each make file refers to (the other files' uses keep a definition).
 */
function removeUnused(source: string, api: Api<MakeFacts>, path: string, references: ReadonlyMap<string, Set<string>>): string {
  // Only the few variables this file defines and no longer uses are looked up in the other files.
  const usedBefore = (name: string) => [...api.state.references.values()].some((names) => names.has(name));
  const usedElsewhere = (name: string) => [...references].some(([other, names]) => other !== path && names.has(name));
  for (;;) {
    const make = lexOnce(api, source);
    const vars = analyseVariables(make, source);
    const used = namesUsed(make, source);
    const exported = (v: CondaVar) => v.defs.some((d) => d.assign.modifiers.includes('export')) || make.lines.some((l) => l.kind === 'export' && l.words.split(/\s+/).includes(v.name));
    const unused = [...vars.values()].filter(
      (v) =>
        v.defs.length > 0 &&
        !used.has(v.name) &&
        usedBefore(v.name) &&
        !usedElsewhere(v.name) &&
        (isCondaPlumbing(v, api.ctx.conda.envNames) || !exported(v)),
    );
    if (unused.length === 0) return source;
    const gone = new Set(unused.map((v) => v.name));
    const edits: Edit[] = [];
    for (const v of unused) {
      for (const def of v.defs) edits.push({ ...withCondaComment(source, wholeLines(source, def.start, def.end)), text: '' });
      api.decide(`removed ${v.name}: nothing uses it after the move to uv`, path);
    }
    // `export CONDA_ENV` lines that only named removed variables go too.
    for (const l of make.lines) {
      if (l.kind === 'export' && l.words.trim() && l.words.trim().split(/\s+/).every((w) => gone.has(w))) edits.push({ ...wholeLines(source, l.start, l.end), text: '' });
    }
    source = applyEdits(source, edits);
  }
}

function transform(file: FileInfo, api: Api<MakeFacts>): string {
  const source = file.source;
  const make = lexOnce(api, source);
  const vars = analyseVariables(make, source, api.state.definitions);
  const pythonByDef = pythonVarsUsedOnlyActivated(source, make, vars);
  const canned = cannedRecipes(make, source, vars);

  const guards = envGuards(source, make, api, file.path);
  const guarded = (index: number) => guards.some((g) => g.start <= index && index < g.end);
  const edits: Edit[] = [...(ACTIVATES.test(source) ? loginShellEdits(source, make, api, file.path) : []), ...guards];
  const shellSnippets: Recipe[] = []; // `$(shell ...)` bodies and `!=` values
  // Definitions: `PYTHON = python` used only in the activated env, `PYTHON = $(CONDA_RUN) python`, `X = conda run -n e cmd`.
  for (const v of vars.values()) {
    for (const def of v.defs) {
      const value = source.slice(def.assign.valueStart, def.assign.valueEnd);
      if (pythonByDef.has(v.name)) {
        edits.push({ start: def.assign.valueStart, end: def.assign.valueStart, text: 'uv run ' });
        api.decide(`${v.name} is now \`uv run ${value.trim()}\`: every use of it ran in the conda env`, file.path);
        continue;
      }
      if (v.kind === 'run' || v.kind === 'activate' || canned.has(v.name)) continue;
      // `$(CONDA_BASE)/envs/geist/bin/python` -> `uv run python`.
      const tool = ENV_BIN.exec(v.expanded);
      if (tool && v.defs.length === 1 && CONDA_WORD.test(v.expanded)) {
        edits.push({ start: def.assign.valueStart, end: def.assign.valueEnd, text: `uv run ${tool[1]}` });
        api.decide(`${v.name} pointed into the conda env's bin/: it is now \`uv run ${tool[1]}\``, file.path);
        continue;
      }
      const command = condaRunCommandAt(value);
      if (command !== undefined && command < value.length) {
        edits.push({ start: def.assign.valueStart, end: def.assign.valueStart + command, text: 'uv run ' });
        continue;
      }
      const runRefs = findRefs(value, def.assign.valueStart).filter((ref) => ref.name && vars.get(ref.name)?.kind === 'run');
      for (const ref of runRefs) edits.push({ start: ref.start, end: ref.end, text: 'uv run' });
      if (runRefs.length === 0 && v.kind !== 'base') shellSnippets.push(...shellIn(source, def));
    }
  }
  for (const l of make.lines) if (l.kind === 'conditional') shellSnippets.push(...shellIn(source, l));
  for (const snippet of shellSnippets.filter((s) => !guarded(s.start))) {
    const result = rewriteRecipe(source, snippet, vars, api, false, pythonByDef);
    if (!result) continue;
    for (const note of result.notes) api.report({ path: file.path, line: note.line, message: note.message });
    if (result.text !== source.slice(snippet.start, snippet.end)) edits.push({ start: snippet.start, end: snippet.end, text: result.text });
  }

  // Recipes: the commands first, then help text, which may quote a command rewritten above.
  const all = recipes(make, source, canned).filter((r) => !guarded(r.start));
  // make runs recipes with /bin/sh, which has `.` but not `source`, unless SHELL says bash.
  const bash = make.lines.some((l) => l.kind === 'assignment' && l.assign.name === 'SHELL' && /bash/.test(source.slice(l.assign.valueStart, l.assign.valueEnd)));
  const venvActivation = bash ? 'source .venv/bin/activate' : '. .venv/bin/activate';
  const rewrittenCommands = new Map<string, string>();
  const activatedAfterLine = new Map<number, boolean>();
  const handle = (recipe: Recipe) => {
    const previous = make.oneShell && recipe.rule !== -1 ? activatedAfterLine.get(recipe.rule) ?? false : false;
    const result = rewriteRecipe(source, recipe, vars, api, previous, pythonByDef, venvActivation);
    if (make.oneShell && recipe.rule !== -1) activatedAfterLine.set(recipe.rule, result?.activatedAfter ?? previous);
    if (!result) return undefined;
    for (const note of result.notes) api.report({ path: file.path, line: note.line, message: note.message });
    return result.text;
  };
  const place = (recipe: Recipe, text: string) => {
    if (text.trim() === '' && recipe.removable) edits.push({ ...recipe.removable, text: '' });
    else edits.push({ start: recipe.start, end: recipe.end, text });
  };
  const results = all.map((recipe) => {
    const original = source.slice(recipe.start, recipe.end);
    return { recipe, original, text: handle(recipe) ?? original };
  });
  for (const r of results) if (!ECHO.test(r.original) && r.text !== r.original) rewrittenCommands.set(r.original.trim(), r.text.trim());
  for (const { recipe, original, text: rewritten } of results) {
    let text = rewritten;
    if (ECHO.test(original)) {
      for (const [from, to] of rewrittenCommands) if (from && text.includes(from)) text = text.replaceAll(from, to);
      if (CONDA_WORD.test(text)) api.report({ path: file.path, line: recipe.line, message: 'help text mentions conda: update it by hand' });
    }
    if (text !== original) place(recipe, text);
  }
  return removeUnused(applyEdits(source, edits), api, file.path, api.state.references);
}

export default {
  name: 'makefile',
  onlyWhenMigrating: true,
  description: 'Makefile: conda activation and env targets to uv',
  files: ['**/Makefile', '**/makefile', '**/GNUmakefile', '**/*.mk'],
  mentions: /conda|mamba|activate/i,
  warmUp() {
    loadShellParser();
  },
  createState: (): MakeFacts => ({ definitions: new Map(), references: new Map() }),
  inventory(api: InventoryApi<MakeFacts>) {
    for (const path of api.matching()) {
      const source = api.fs.read(path);
      if (source === undefined) continue;
      let make: Makefile;
      try {
        make = lexOnce(api, source);
      } catch {
        continue; // the transform reports it
      }
      api.state.references.set(path, namesUsed(make, source));
      for (const l of make.lines) {
        if (l.kind === 'assignment' || l.kind === 'define') api.state.definitions.set(l.assign.name, { path, value: source.slice(l.assign.valueStart, l.assign.valueEnd) });
      }
    }
  },
  transform,
  // A macro defined in an included file and used only by the Makefile that includes it can go only
  // once every file was rewritten.
  finish(api: Api<MakeFacts>) {
    if (api.state.references.size < 2) return;
    const current = new Map<string, { source: string; used: Set<string> }>();
    for (const path of api.state.references.keys()) {
      const source = api.fs.read(path);
      if (source === undefined) continue;
      try {
        current.set(path, { source, used: namesUsed(lexOnce(api, source), source) });
      } catch {
        continue;
      }
    }
    const usedNow = new Map([...current].map(([path, c]) => [path, c.used]));
    for (const [path, { source }] of current) {
      const cleaned = removeUnused(source, api, path, usedNow);
      if (cleaned !== source) api.fs.write(path, cleaned);
    }
  },
} satisfies Codemod<MakeFacts>;
