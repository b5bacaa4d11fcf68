import type { MigrationContext } from '../../../contract/context.js';
import { rewriteShell } from './index.js';
import type { HostPolicy } from './hosts.js';
import { CONDA_BIN, CONDA_WORD } from '../conda/vocabulary.js';
import { applyEdits, type Edit } from '../text.js';
import { condaTool, parseCondaRun } from './commands.js';

// Top-level shell commands of a Dockerfile/compose snippet and what each does to a conda env.
// Docker-specific decisions (drop the installer, move env creation to a `uv sync` layer) need to see
// whole commands with positions; the shell engine does the general rewriting of what is left.

export interface Word {
  value: string; // unquoted
  start: number;
  end: number;
}

export interface Segment {
  start: number;
  end: number;
  words: Word[];
  text: string;
}

const OPENERS = new Set(['if', 'case', 'for', 'while', 'until', 'select', '{', '(']);
const CLOSERS = new Set(['fi', 'esac', 'done', '}', ')']);
const AFTER_KEYWORD = new Set(['then', 'do', 'else', 'elif', '!', '{', '(']);

/**
 * Split a snippet into its top-level commands (`a && b; c` -> a, b, c). Compound commands
 * (if/for/case/{ }/( )) stay one segment; pipelines stay one segment. `\`-newline is whitespace.
 * Not the parser (parser.ts): a RUN body with comment lines (masked blank) inside a `\` continuation runs in Docker but is not shell.
 */
export function splitCommands(text: string): Segment[] {
  const segments: Segment[] = [];
  let words: Word[] = [];
  let depth = 0;
  let commandStart = true; // the next word is in command position (where keywords count)
  let i = 0;
  const flush = () => {
    if (words.length > 0) {
      const start = words[0]!.start;
      const end = words[words.length - 1]!.end;
      segments.push({ start, end, words, text: text.slice(start, end) });
    }
    words = [];
  };
  while (i < text.length) {
    const c = text[i]!;
    const two = text.slice(i, i + 2);
    if (two === '\\\n' || c === ' ' || c === '\t' || c === '\r') {
      i += two === '\\\n' ? 2 : 1;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const operator = two === '&&' || two === '||' || two === ';;' ? two : c === '\n' || c === ';' || c === '|' || (c === '&' && text[i + 1] !== '>') ? c : '';
    if (operator) {
      if (depth === 0 && operator !== '|') flush();
      commandStart = true;
      i += operator.length;
      continue;
    }
    const word = readWord(text, i);
    if (commandStart && OPENERS.has(word.value)) depth++;
    else if (CLOSERS.has(word.value) && depth > 0 && (commandStart || word.value === ')' || word.value === '}')) depth--;
    commandStart = AFTER_KEYWORD.has(word.value) || CLOSERS.has(word.value);
    words.push(word);
    i = word.end;
  }
  flush();
  return segments;
}

/** One shell word from `start`: quotes, `$(...)` and backticks kept inside it. */
function readWord(text: string, start: number): Word {
  let i = start;
  let value = '';
  // A lone `(`/`)`/`{`/`}` is its own word so subshells and groups can be counted.
  if ('()'.includes(text[i]!) || ('{}'.includes(text[i]!) && (i + 1 >= text.length || /[\s;&|]/.test(text[i + 1]!)))) {
    return { value: text[i]!, start, end: i + 1 };
  }
  while (i < text.length) {
    const c = text[i]!;
    const redirect = c === '&' && (text[i + 1] === '>' || text[i - 1] === '>' || text[i - 1] === '<');
    if (/[\s;|()]/.test(c) || (c === '&' && !redirect)) break;
    if (c === '\\') {
      if (text[i + 1] === '\n') break;
      value += text[i + 1] ?? '';
      i += 2;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const end = close === -1 ? text.length : close;
      value += text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) {
          value += /["\\$`]/.test(text[i + 1]!) ? text[i + 1] : text.slice(i, i + 2);
          i += 2;
        } else value += text[i++];
      }
      i++;
    } else if (c === '$' && text[i + 1] === '(') {
      const end = closeParen(text, i + 1);
      value += text.slice(i, end);
      i = end;
    } else if (c === '`') {
      const close = text.indexOf('`', i + 1);
      const end = close === -1 ? text.length : close + 1;
      value += text.slice(i, end);
      i = end;
    } else {
      value += c;
      i++;
    }
  }
  return { value, start, end: Math.min(i, text.length) };
}

function closeParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i + 1;
  }
  return text.length;
}

/** `text` has `word` as a whole shell word or path end (`-n renv`, `/tmp/r-env.yml`, `"renv"`). */
export function namesWord(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?:^|[\\s/"'=])${escaped}(?=$|[\\s"'])`).test(text);
}

/** Names and file names of the envs the migration keeps on conda (role unmigratable, e.g. an R env). */
export function keptEnvWords(ctx: MigrationContext): string[] {
  return ctx.conda.envFiles.filter((e) => e.role === 'unmigratable').flatMap((e) => [e.path.replace(/^.*\//, ''), ...(e.name ? [e.name] : [])]);
}


export type CommandKind =
  | 'plain' // no conda in it
  | 'env' // creates or updates the env from a file: becomes the uv sync step
  | 'setup' // installer, init, config, clean, activation, conda-pack: removed
  | 'install' // `conda install pkg...` without a file: removed, with a follow-up
  | 'run' // `conda run ... CMD`: CMD stays
  | 'other'; // mentions conda in another way: left to the shell engine

/** The index of the first word of the command `conda run [options] CMD` runs, or -1 when it is not one. */
export function condaRunTarget(words: readonly { value: string }[]): number {
  return parseCondaRun(words.map((w) => w.value))?.command ?? -1;
}

/**
 * What a top-level command does. `scripts` are install-script names that create the env
 * (e.g. conda-install.sh, and what it was renamed to).
 */
export function classify(segment: Segment, scripts: readonly string[]): CommandKind {
  const words = segment.words.map((w) => w.value);
  const head = words[0] ?? '';
  const base = head.replace(/^.*\//, '');
  if (scripts.some((s) => base === s || head === s) || (/^(?:ba)?sh$/.test(base) && scripts.some((s) => (words[1] ?? '').replace(/^.*\//, '') === s))) return 'env';
  if (!CONDA_WORD.test(segment.text) && !/\bactivate\b/.test(segment.text) && !segment.text.match(CONDA_BIN)) return 'plain';
  if (condaRunTarget(segment.words) >= 0) return 'run';
  if (/^(?:ba|z|da)?sh$/.test(base) && words.includes('-c')) return 'other'; // its script is rewritten inside
  // A compound command (if/for/{ }) that creates the env is the env step as a whole.
  if (OPENERS.has(head) && /\b(?:conda|mamba|micromamba)\s+(?:env\s+(?:create|update)|create)\b/.test(segment.text)) return 'env';
  if (condaTool(head) !== undefined) {
    const rest = words.slice(1).filter((w) => !w.startsWith('-'));
    const sub = rest[0] ?? words[1] ?? '';
    const hasFile = words.some((w) => /^(?:-f|--file)(?:=|$)/.test(w));
    if (sub === 'env' && /^(?:create|update)$/.test(rest[1] ?? '')) return 'env';
    if (sub === 'create' || (/^(?:install|update)$/.test(sub) && hasFile)) return 'env';
    if (sub === 'install' && !/conda-pack|conda-libmamba-solver|\bmamba\b/.test(words.slice(2).join(' '))) return 'install';
    return 'setup';
  }
  // `source activate x`, `. activate`, `echo "conda activate x" >> ~/.bashrc`, installer download/run, `rm /tmp/miniconda.sh`...
  if (/^(?:source|\.)$/.test(head)) return /^(?:de)?activate$/.test(words[1] ?? '') || CONDA_WORD.test(segment.text) || new RegExp(CONDA_BIN.source).test(segment.text) ? 'setup' : 'plain';
  // `echo "source activate x" >> ~/.bashrc` is conda activation too; `echo "activate it"` is not.
  const condaShaped = CONDA_WORD.test(segment.text) || new RegExp(CONDA_BIN.source).test(segment.text) || /(?:^|[\s"'])(?:source|\.)\s+activate\b/.test(segment.text);
  if (condaShaped && /^(?:echo|printf|ln|rm|curl|wget|bash|sh|chmod|chown|find|if|tar|mkdir|cd|export|test|\[)$/.test(base)) return 'setup';
  if (/conda-(?:un)?pack$/.test(head)) return 'setup';
  if (/^[A-Z_][A-Z0-9_]*=/.test(head) && CONDA_WORD.test(head)) return 'setup';
  return 'other';
}

export interface SnippetOptions {
  /** The venv conda bin paths point to; without one they are dropped (the venv is on PATH). */
  venv?: string;
  scripts: readonly string[];
  ctx: MigrationContext;
  renames: ReadonlyMap<string, string>;
  host: HostPolicy;
  /** Also drop these commands (e.g. `pip install -e .` after the env step); `afterEnvHere`: an env command came before in this snippet. */
  dropAlso?: (words: readonly Word[], afterEnvHere: boolean) => boolean;
  /** Called for each `conda install pkg...` dropped. */
  onInstall?: (segment: Segment) => void;
  /** Called with what the shell engine could not rewrite. */
  onNote?: (message: string) => void;
}

/**
 * A shell snippet for an image with the venv on PATH: conda setup/env/install commands removed with
 * their `&&`/`;` glue, `conda run [opts]` prefixes stripped, conda bin paths pointed at the venv,
 * `bash -c "..."` scripts rewritten inside their quotes; then the shell engine (venv-on-path) for the
 * rest. `masked` is `snippet` with comment lines blanked. Undefined when nothing changed.
 */
export function rewriteSnippet(masked: string, snippet: string, options: SnippetOptions): { text: string; allRemoved: boolean } | undefined {
  const segments = splitCommands(masked);
  if (segments.length === 0) return undefined;
  const edits: Edit[] = [];
  // A command that uses an env kept on conda stays as it is (the engine leaves it too, with a note).
  const kept = keptEnvWords(options.ctx);
  const kinds = segments.map((seg) => (kept.some((name) => namesWord(seg.text, name)) ? 'kept' : classify(seg, options.scripts)));
  // conda-pack and what unpacks its tarball are one job: the whole snippet goes.
  if (segments.some((seg) => /(?:^|\/)conda-pack$/.test(seg.words[0]!.value))) return { text: '', allRemoved: true };
  const drop = segments.map((seg, i) => {
    const kind = kinds[i]!;
    if (kind === 'install') options.onInstall?.(seg);
    if (kind === 'setup' || kind === 'env' || kind === 'install') return true;
    const target = kind === 'run' ? condaRunTarget(seg.words) : 0;
    return (kind === 'plain' || kind === 'run' || kind === 'other') && options.dropAlso?.(seg.words.slice(target), kinds.slice(0, i).includes('env')) === true;
  });
  // `bash -c "..."`: the script is rewritten inside its quotes; a script left empty drops the command.
  const inner = segments.map((seg, i) => {
    if (drop[i] || kinds[i] === 'kept') return undefined;
    const c = seg.words.findIndex((w) => w.value === '-c');
    if (c < 1 || !/^(?:.*\/)?(?:ba|z|da)?sh$/.test(seg.words[0]!.value)) return undefined;
    const script = seg.words[c + 1];
    const raw = script ? snippet.slice(script.start, script.end) : '';
    if (!script || raw.length < 2 || !/^(["']).*\1$/s.test(raw)) return undefined;
    const body = raw.slice(1, -1);
    const result = rewriteSnippet(body, body, options);
    if (result?.allRemoved) drop[i] = true;
    return result && !result.allRemoved ? { start: script.start + 1, end: script.end - 1, text: result.text } : undefined;
  });
  // The installer's download goes too: `rm /tmp/miniforge.sh` after the dropped `wget ... -O /tmp/miniforge.sh`.
  const installerFiles = new Set(segments.flatMap((seg, i) => (drop[i] ? seg.words.map((w) => w.value).filter((w) => /^\/.*\.sh$|^[\w.-]+\.sh$/.test(w)) : [])));
  segments.forEach((seg, i) => {
    const args = seg.words.slice(1).map((w) => w.value).filter((w) => !w.startsWith('-'));
    if (!drop[i] && seg.words[0]!.value === 'rm' && args.length > 0 && args.every((a) => installerFiles.has(a))) drop[i] = true;
  });
  if (drop.every(Boolean)) return { text: '', allRemoved: true };
  for (let i = 0; i < segments.length; i++) {
    if (drop[i]) {
      let j = i;
      while (j + 1 < segments.length && drop[j + 1]) j++;
      if (i > 0) edits.push({ start: segments[i - 1]!.end, end: segments[j]!.end, text: '' });
      else edits.push({ start: segments[i]!.start, end: segments[j + 1]!.start, text: '' });
      i = j;
      continue;
    }
    const seg = segments[i]!;
    if (kinds[i] === 'kept') continue;
    if (inner[i]) {
      edits.push(inner[i]!);
      continue;
    }
    const target = condaRunTarget(seg.words);
    const from = target > 0 && target < seg.words.length ? seg.words[target]!.start : seg.start;
    let text = snippet.slice(from, seg.end);
    text = options.venv ? text.replace(CONDA_BIN, `${options.venv}/bin`) : text.replace(new RegExp(`${CONDA_BIN.source}/`, 'g'), '');
    text = text.replace(/\$\{?CONDA_PREFIX\}?/g, '$VIRTUAL_ENV');
    if (from !== seg.start || text !== snippet.slice(seg.start, seg.end)) edits.push({ start: seg.start, end: seg.end, text });
  }
  let text = applyEdits(snippet, edits);
  if (CONDA_WORD.test(text) || /\bactivate\b/.test(text)) {
    const engine = rewriteShell(text, { host: { ...options.host, reach: 'venv-on-path' }, ctx: options.ctx, renames: options.renames });
    if (engine.changed) text = engine.text;
    for (const note of engine.notes) options.onNote?.(note.message);
  }
  return text === snippet ? undefined : { text, allRemoved: false };
}
