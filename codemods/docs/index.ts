// Markdown docs: shell in fenced code and inline code goes through the shell engine (docs host),
// an "Install Miniconda" section becomes "Install uv", links follow renamed/deleted files, and prose
// that still talks about conda becomes a follow-up. Everything else stays byte-identical.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Code, InlineCode, Nodes, Root, RootContent } from 'mdast';
import { PendingReports } from '../lib/edit-lines.js';
import { HOSTS } from '../lib/shell/hosts.js';
import { envProjects, loadShellParser, rewriteShell, type ShellResult } from '../lib/shell/index.js';
import { applyEdits, lineColAt, type Edit } from '../lib/text.js';
import { UV_INSTALLER } from '../lib/versions.js';
import { CONDA_NAME } from '../lib/conda/vocabulary.js';
import { isHarmlessDoc } from '../lib/history.js';
import type { Api, Codemod, FileInfo } from '../../contract/types.js';

/** The diff library, loaded when a block is first rewritten (importing the codemod stays cheap). */
let diffLib: typeof import('diff') | undefined;
const diffLibrary = () => (diffLib ??= createRequire(import.meta.url)('diff') as typeof import('diff'));

type FromMarkdown = (typeof import('mdast-util-from-markdown'))['fromMarkdown'];
let fromMarkdownCached: FromMarkdown | undefined;
async function loadFromMarkdown(): Promise<FromMarkdown> {
  fromMarkdownCached ??= (await import('mdast-util-from-markdown')).fromMarkdown;
  return fromMarkdownCached;
}

const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'zsh', 'ksh', 'console', 'terminal', 'shell-session', 'sh-session', 'shellsession']);
const CONSOLE_LANGS = new Set(['console', 'terminal', 'shell-session', 'sh-session', 'shellsession']);
/** Words that start a command line; an unlabelled block or an inline code span starting so is shell. */
const COMMAND_WORDS = new Set([
  'conda', 'mamba', 'micromamba', 'pip', 'pip3', 'python', 'python3', 'pytest', 'source', '.', 'bash', 'sh', 'make', 'uv', 'uvx',
  'docker', 'git', 'cd', 'export', 'curl', 'wget', 'jupyter', 'ipython', 'npm', 'npx', 'ruff', 'mypy', 'black', 'flake8',
]);
/** What makes a snippet worth the engine: it names conda or installs packages. */
const SHELL_MENTION = /conda|mamba|activate|\bpip3?\s+install\b/;
/** A console line's prompt (`$ `, `% `, `(env) $ `). */
const PROMPT = /^(?:\([\w.-]+\) ?)?[$%] /;
/** A snippet that tells the reader to create or enter the env: later commands run through uv. */
const ENTERS_ENV = /\b(?:conda|mamba|micromamba)\s+(?:activate|create|env\s+create)\b|(?:^|[;&|]\s*)(?:source|\.)\s+activate\b/;
/** Prose that still talks about conda. */
const CONDA_WORD = CONDA_NAME;
/** A heading about getting a conda distribution. */
const INSTALL_HEADING = /\b(?:install\w*|get|getting|download\w*|set ?up|setting up|prerequisites?)\b/i;
const CONDA_DISTRIBUTION = /\b(?:conda|miniconda\d?|anaconda\d?|miniforge\d?|mambaforge|micromamba)\b/i;
/** Body text of a section that is only about installing a conda distribution. */
const ABOUT_CONDA_INSTALL = /miniconda|anaconda|miniforge|mambaforge|micromamba|conda\.io|conda init|profile\.d\/conda\.sh/i;
const VENV_ACTIVATE = 'source .venv/bin/activate';

export const INSTALL_UV_BODY = [
  'Install [uv](https://docs.astral.sh/uv/getting-started/installation/), then create the project environment:',
  '',
  '```bash',
  UV_INSTALLER,
  'uv sync',
  '```',
];

interface Offsets {
  start: number;
  end: number;
}

function offsets(node: Nodes): Offsets {
  return { start: node.position!.start.offset!, end: node.position!.end.offset! };
}

function textOf(node: Nodes): string {
  if ('value' in node) return node.value;
  if ('children' in node) return (node.children as Nodes[]).map(textOf).join(' ');
  return '';
}

/** Text plus link targets: a section body is judged on both. */
function textAndUrls(node: Nodes): string {
  if (node.type === 'link' || node.type === 'definition') return `${node.url} ${'children' in node ? textOf(node) : ''}`;
  if ('value' in node) return node.value;
  if ('children' in node) return (node.children as Nodes[]).map(textAndUrls).join(' ');
  return '';
}

function firstWord(command: string): string {
  return /^\s*(\S+)/.exec(command)?.[1] ?? '';
}

/** A fenced block's content lines: where each starts, as written, and with the container prefix removed. */
interface Block {
  starts: number[];
  raw: string[];
  lines: string[];
  prefix: string;
  firstLine: number;
}

/** Line-by-line edits from a block's old lines to `lines`: unchanged lines (and positions on them) stay put. */
function lineEdits(block: Block, lines: string[]): Edit[] {
  const edits: Edit[] = [];
  const withPrefix = (line: string) => (line === '' ? block.prefix.trimEnd() : block.prefix + line);
  const count = block.raw.length;
  const endOf = (i: number) => block.starts[i]! + block.raw[i]!.length;
  let old = 0;
  let removed = 0;
  let added: string[] = [];
  const flush = () => {
    const [a, b] = [old - removed, old];
    if (removed === 0 && added.length === 0) return;
    if (removed > 0 && added.length > 0) edits.push({ start: block.starts[a]!, end: endOf(b - 1), text: added.map(withPrefix).join('\n') });
    else if (removed > 0) edits.push(b < count ? { start: block.starts[a]!, end: block.starts[b]!, text: '' } : { start: a > 0 ? endOf(a - 1) : block.starts[a]!, end: endOf(b - 1), text: '' });
    else if (a < count) edits.push({ start: block.starts[a]!, end: block.starts[a]!, text: added.map(withPrefix).join('\n') + '\n' });
    else edits.push({ start: endOf(count - 1), end: endOf(count - 1), text: '\n' + added.map(withPrefix).join('\n') });
    removed = 0;
    added = [];
  };
  for (const part of diffLibrary().diffArrays(block.lines, lines)) {
    if (part.removed) {
      removed += part.count ?? part.value.length;
      old += part.count ?? part.value.length;
    } else if (part.added) {
      added.push(...part.value);
    } else {
      flush();
      old += part.count ?? part.value.length;
    }
  }
  flush();
  return edits;
}

class DocRewriter {
  readonly edits: Edit[] = [];
  /** The reader has been told to create or activate the env: commands now run through uv. */
  activated = false;
  /** Code blocks and inline commands rewritten, and links moved, for the file's decision. */
  rewritten = 0;
  readonly moved = new Set<string>();
  private readonly skipped: Offsets[] = [];
  private readonly consoleScripts: Set<string>;

  constructor(
    private readonly file: FileInfo,
    private readonly api: Api,
  ) {
    this.consoleScripts = new Set(api.ctx.conda.consoleScripts);
  }

  get source(): string {
    return this.file.source;
  }

  /** Reported after the edits, against the lines of the new text. */
  readonly reports = new PendingReports();

  report(index: number, message: string | ((line: string) => string), severity?: 'info'): void {
    this.reports.add(index, message, severity);
  }

  /** Leave a range of the page as it is. */
  skip(range: Offsets): void {
    this.skipped.push(range);
  }

  private inSkipped(at: number): boolean {
    return this.skipped.some((r) => at >= r.start && at < r.end);
  }

  /** "## Install Miniconda" with a body only about that: replaced by "Install uv". */
  replaceInstallSections(root: Root): void {
    const children = root.children;
    children.forEach((node, i) => {
      if (node.type !== 'heading') return;
      const heading = textOf(node);
      if (!INSTALL_HEADING.test(heading) || !CONDA_DISTRIBUTION.test(heading)) return;
      let end = i + 1;
      while (end < children.length && !(children[end]!.type === 'heading' && (children[end] as { depth: number }).depth <= node.depth)) end++;
      const body = children.slice(i + 1, end).filter((n) => n.type !== 'html' || !/^<!--/.test(n.value));
      if (!body.every((n) => this.aboutCondaInstall(n))) return;
      const range = { start: offsets(node).start, end: offsets(children[end - 1]!).end };
      const text = [`${'#'.repeat(node.depth)} Install uv`, '', ...INSTALL_UV_BODY].join('\n');
      this.edits.push({ ...range, text });
      this.skipped.push(range);
      this.api.decide(`replaced the "${heading}" section with an "Install uv" section`, this.file.path);
    });
  }

  private aboutCondaInstall(node: RootContent): boolean {
    if (node.type === 'list') return node.children.every((item) => ABOUT_CONDA_INSTALL.test(textAndUrls(item)));
    if (node.type === 'code') return node.value.split('\n').every((line) => line.trim() === '' || line.trim().startsWith('#') || ABOUT_CONDA_INSTALL.test(line));
    if (node.type === 'heading') return false;
    return ABOUT_CONDA_INSTALL.test(textAndUrls(node));
  }

  /** Every node in document order. */
  walk(node: Nodes): void {
    if (node.type !== 'root' && this.inSkipped(node.position!.start.offset!)) return;
    switch (node.type) {
      case 'code':
        this.code(node);
        return;
      case 'inlineCode':
        this.inlineCode(node);
        return;
      case 'text':
        this.prose(node);
        return;
      case 'link':
      case 'definition':
        this.link(node);
        break;
      default:
        break;
    }
    if ('children' in node) for (const child of node.children as Nodes[]) this.walk(child);
  }

  /** `block`: a whole code block, whose trailing activation the reader goes on in (kept as the venv's). */
  private shell(text: string, activated: boolean, block = false): ShellResult {
    // At the top of several projects an earlier snippet's activation does not say which project a command is for.
    const projects = envProjects(this.api.ctx);
    const options = { host: { ...HOSTS.docs, venvActivation: VENV_ACTIVATE, keepTrailingActivation: block }, activated: activated && !projects, ctx: this.api.ctx, renames: this.api.fs.renames };
    const result = rewriteShell(text, projects ? { ...options, projects } : options);
    return { ...result, text: renameTokens(result.text, this.api.fs.renames) };
  }

  /** The venv activation that stands for a conda activation: its project's venv at the top of several projects. */
  private venvOf(activation: string): string {
    for (const [env, project] of envProjects(this.api.ctx) ?? []) {
      if (new RegExp(`\\s${env.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(activation)) return VENV_ACTIVATE.replace('.venv/', `${project}/.venv/`);
    }
    return VENV_ACTIVATE;
  }

  private enters(text: string, result: ShellResult): boolean {
    return result.activatedAfter || ENTERS_ENV.test(text);
  }

  private code(node: Code): void {
    const lang = (node.lang ?? '').toLowerCase();
    const firstLine = node.value.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
    const unlabelledShell = node.lang === null && (COMMAND_WORDS.has(firstWord(firstLine)) || /^\$ /.test(firstLine));
    if (!SHELL_LANGS.has(lang) && !unlabelledShell) return;
    const block = this.blockContent(node);
    if (!block) return;
    // A console block without a single prompt is a list of commands, as a bash block.
    const isConsole = (CONSOLE_LANGS.has(lang) && block.lines.some((l) => PROMPT.test(l))) || PROMPT.test(firstLine);
    const lines = isConsole ? this.consoleLines(block.lines, block.firstLine) : this.scriptLines(block.lines, block.firstLine);
    if (lines === undefined || lines.join('\n') === block.lines.join('\n')) return;
    this.edits.push(...lineEdits(block, lines));
    this.rewritten++;
  }

  /** The lines between a fenced block's fences, with the container prefix (indent, `> `) removed. */
  private blockContent(node: Code): Block | undefined {
    const { start, end } = offsets(node);
    const lineStart = this.source.lastIndexOf('\n', start - 1) + 1;
    const prefix = this.source.slice(lineStart, start);
    const fence = /^(`{3,}|~{3,})/.exec(this.source.slice(start))?.[1];
    if (!fence) return this.indentedContent(lineStart, end);
    const open = this.source.indexOf('\n', start);
    if (open === -1 || open >= end) return undefined;
    const all = this.source.slice(open + 1, end).split('\n');
    const closed = all.length > 0 && new RegExp(`^\\s*(?:>\\s*)*${fence[0]}{${fence.length},}\\s*$`).test(all[all.length - 1]!);
    const raw = closed ? all.slice(0, -1) : all;
    if (raw.length === 0) return undefined;
    const lines: string[] = [];
    for (const line of raw) {
      if (line.startsWith(prefix)) lines.push(line.slice(prefix.length));
      else if (/^\s*$/.test(prefix) && /^\s*/.exec(line)![0].length < prefix.length) lines.push(line.trimStart());
      else if (line.trimEnd() === prefix.trimEnd()) lines.push('');
      else return undefined; // a lazy continuation line: too odd to splice safely
    }
    const starts: number[] = [];
    let at = open + 1;
    for (const line of raw) {
      starts.push(at);
      at += line.length + 1;
    }
    return { starts, lines, raw, prefix, firstLine: lineColAt(this.source, open + 1).line };
  }

  /** An indented code block's lines (four spaces, after any container prefix, taken off). */
  private indentedContent(lineStart: number, end: number): Block | undefined {
    const raw = this.source.slice(lineStart, end).split('\n');
    const prefix = /^(?:[ \t]*>[ \t]?)*/.exec(raw[0]!)![0] + '    ';
    if (!raw[0]!.startsWith(prefix)) return undefined;
    const lines: string[] = [];
    for (const line of raw) {
      if (line.startsWith(prefix)) lines.push(line.slice(prefix.length));
      else if (line.trim() === '' || line.trimEnd() === prefix.trimEnd()) lines.push('');
      else return undefined;
    }
    const starts: number[] = [];
    let at = lineStart;
    for (const line of raw) {
      starts.push(at);
      at += line.length + 1;
    }
    return { starts, lines, raw, prefix, firstLine: lineColAt(this.source, lineStart).line };
  }

  /**
   * reStructuredText: `.. code-block:: bash` (also `code::`, `sourcecode::`) and `::` literal blocks that
   * start with a command, through the same engine as Markdown fences; their indentation is kept.
   */
  rstBlocks(): void {
    const lines = this.source.split('\n');
    const starts: number[] = [];
    for (let i = 0, at = 0; i < lines.length; at += lines[i]!.length + 1, i++) starts.push(at);
    const indent = (line: string) => /^[ \t]*/.exec(line)![0].length;
    for (let i = 0; i < lines.length; i++) {
      const directive = /^([ \t]*)\.\. (?:code-block|code|sourcecode)::[ \t]*(\S*)/.exec(lines[i]!);
      const literal = !directive && /(?:^|[^:]):: *$/.test(lines[i]!) && !/^[ \t]*\.\. /.test(lines[i]!);
      if (!directive && !literal) continue;
      const own = indent(lines[i]!);
      // Options (`:linenos:`) and blank lines, then the lines indented deeper than the directive.
      let first = i + 1;
      while (first < lines.length && (lines[first]!.trim() === '' || (directive && /^[ \t]+:[\w-]+:/.test(lines[first]!)))) first++;
      let last = first;
      while (last < lines.length && (lines[last]!.trim() === '' || indent(lines[last]!) > own)) last++;
      while (last > first && lines[last - 1]!.trim() === '') last--;
      if (last <= first || indent(lines[first]!) <= own) continue;
      const raw = lines.slice(first, last);
      const prefix = ' '.repeat(Math.min(...raw.filter((l) => l.trim() !== '').map(indent)));
      if (raw.some((l) => l.trim() !== '' && !l.startsWith(prefix))) continue; // tabs and spaces mixed: left alone
      const content = raw.map((l) => l.slice(prefix.length));
      const lang = directive ? directive[2]!.toLowerCase() : '';
      const head = content.find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
      const shellish = directive ? SHELL_LANGS.has(lang) || (lang === '' && COMMAND_WORDS.has(firstWord(head))) : COMMAND_WORDS.has(firstWord(head)) || /^\$ /.test(head);
      i = last - 1;
      if (!shellish) continue;
      const block: Block = { starts: starts.slice(first, last), raw, lines: content, prefix, firstLine: first + 1 };
      const isConsole = (CONSOLE_LANGS.has(lang) && content.some((l) => PROMPT.test(l))) || PROMPT.test(head);
      const out = isConsole ? this.consoleLines(block.lines, block.firstLine) : this.scriptLines(block.lines, block.firstLine);
      if (out === undefined || out.join('\n') === block.lines.join('\n')) continue;
      this.edits.push(...lineEdits(block, out));
      this.rewritten++;
    }
  }

  /** A bash/sh block: one snippet through the engine; activation carries to later snippets. */
  private scriptLines(lines: string[], firstLine: number): string[] | undefined {
    const text = lines.join('\n');
    if (!SHELL_MENTION.test(text) && !this.activated && !this.mentionsRenamed(text)) return undefined;
    const result = this.shell(text, this.activated, true);
    this.notes(result, firstLine);
    const enters = this.enters(text, result);
    this.activated = enters || (this.activated && !/\bdeactivate\b/.test(text));
    if (result.text.trim() === '' && text.trim() !== '') {
      if (!enters) {
        this.report(this.lineIndex(firstLine), 'this code block only held conda commands: remove it or reword the step');
        return undefined;
      }
      this.api.decide(`a code block that only activated the conda env now activates the project venv (${VENV_ACTIVATE})`, this.file.path);
      return [VENV_ACTIVATE];
    }
    if (enters && result.text.trim() === this.venvOf(text)) {
      this.api.decide(`a code block that only activated the conda env now activates the project venv (${result.text.trim()})`, this.file.path);
    }
    return result.text.split('\n');
  }

  /** A console block: commands after `$ ` prompts go through the engine one by one; output lines stay. */
  private consoleLines(lines: string[], firstLine: number): string[] | undefined {
    const out: string[] = [];
    let changed = false;
    for (let i = 0; i < lines.length; i++) {
      const prompt = /^(\(([\w.-]+)\) ?)?([$%] )/.exec(lines[i]!);
      if (!prompt) {
        out.push(lines[i]!);
        continue;
      }
      // A command continued with `\` spans the following lines.
      const commandLines = [lines[i]!.slice(prompt[0].length)];
      while (commandLines[commandLines.length - 1]!.endsWith('\\') && i + 1 < lines.length) commandLines.push(lines[++i]!);
      const command = commandLines.join('\n');
      const envPrompt = prompt[2] !== undefined && (prompt[2] === 'base' || this.api.ctx.conda.envNames.includes(prompt[2]));
      const activated = this.activated || envPrompt;
      const worth = SHELL_MENTION.test(command) || activated || this.mentionsRenamed(command);
      const result = worth ? this.shell(command, activated) : { text: command, changed: false, notes: [], activatedAfter: false };
      this.notes(result, firstLine + i - (commandLines.length - 1));
      this.activated = this.enters(command, result) || (this.activated && !/\bdeactivate\b/.test(command));
      const keptPrompt = envPrompt ? prompt[3]! : prompt[0];
      if (result.text === command && keptPrompt === prompt[0]) {
        out.push(prompt[0] + commandLines.join('\n'));
        continue;
      }
      changed = true;
      const output = lines[i + 1];
      if (result.text !== command && /^(?:conda|mamba|micromamba)\b/.test(command) && output !== undefined && output.trim() !== '' && !/^(?:\([\w.-]+\) ?)?[$%] /.test(output)) {
        this.report(this.lineIndex(firstLine + i + 1), 'the output below was printed by the old conda command: replace it with what the uv command prints, or remove it');
      }
      if (result.text.trim() === '') continue; // the command went away (an activation): so does its line
      out.push(...(keptPrompt + result.text).split('\n'));
    }
    return changed ? out : undefined;
  }

  private notes(result: ShellResult, firstLine: number): void {
    for (const note of result.notes) this.report(this.lineIndex(firstLine + note.line - 1), note.message);
  }

  private lineIndex(line: number): number {
    let index = 0;
    for (let l = 1; l < line; l++) index = this.source.indexOf('\n', index) + 1;
    return index;
  }

  private mentionsRenamed(text: string): boolean {
    return renameTokens(text, this.api.fs.renames) !== text;
  }

  /** `conda env create -f environment.yml` in a sentence: the same rewrite when the span is a whole command. */
  private inlineCode(node: InlineCode): void {
    const { start, end } = offsets(node);
    const raw = this.source.slice(start, end);
    const ticks = /^`+/.exec(raw)![0].length;
    const inner = raw.slice(ticks, raw.length - ticks);
    if (inner.includes('\n')) return;
    this.inlineCommand(node.value, start, start + ticks + inner.indexOf(node.value));
  }

  /** reStructuredText inline literals (``conda activate x``) outside the blocks, as Markdown's inline code. */
  rstInline(): void {
    const blocks = this.edits.map((e) => [e.start, e.end] as const);
    for (const m of this.source.matchAll(/(?<![`\w])``([^`\n]+)``(?![`\w])/g)) {
      if (blocks.some(([from, to]) => m.index >= from && m.index < to)) continue;
      this.inlineCommand(m[1]!, m.index, m.index + 2);
    }
  }

  /** One inline command (`value`, starting at `at`; the literal itself starts at `start`). */
  private inlineCommand(value: string, start: number, at: number): void {
    const word = firstWord(value);
    // A bare program name (`python`) is a name unless the sentence says to run it.
    const bare = !/\s/.test(value.trim()) && !/\brun\s*$/i.test(this.source.slice(Math.max(0, start - 8), start));
    const command = !bare && (COMMAND_WORDS.has(word) || this.consoleScripts.has(word) || /^\.{0,2}\/\S+\.sh$/.test(word));
    let text = value;
    if (command && (SHELL_MENTION.test(value) || this.activated || this.mentionsRenamed(value))) {
      const result = this.shell(value, this.activated);
      this.notes(result, lineColAt(this.source, start).line);
      const enters = this.enters(value, result);
      this.activated = enters || this.activated;
      const venv = this.venvOf(value);
      text = result.text.trim() === '' ? (enters ? venv : value) : result.text;
      if (result.text.trim() === '') {
        if (enters) this.api.decide(`\`${value}\` now reads \`${venv}\``, this.file.path);
        else this.report(start, `\`${value}\` has no uv equivalent: reword this step`);
      }
    } else {
      text = renameTokens(value, this.api.fs.renames);
    }
    if (text === value || text.includes('`')) return;
    this.edits.push({ start: at, end: at + value.length, text });
    this.rewritten++;
  }

  private prose(node: Nodes & { type: 'text' }): void {
    const { start, end } = offsets(node);
    const raw = this.source.slice(start, end);
    let at = start;
    for (const line of raw.split('\n')) {
      const renamed = renameTokens(line, this.api.fs.renames);
      if (renamed !== line) this.edits.push({ start: at, end: at + line.length, text: renamed });
      if (CONDA_WORD.test(renamed)) this.report(at, (text) => `prose mentions conda: reword it for uv (${text.trim().slice(0, 100)})`, 'info');
      at += line.length + 1;
    }
  }

  /** A link to a renamed file follows it; a link to a migrated env file points at pyproject.toml. */
  private link(node: Nodes & { type: 'link' | 'definition' }): void {
    const url = node.url;
    if (/^[a-z][\w+.-]*:|^#|^\//i.test(url) || url === '') return;
    const [target, hash = ''] = url.split('#') as [string, string?];
    const dir = path.posix.dirname(this.file.path);
    const repoPath = path.posix.normalize(path.posix.join(dir, decodeURI(target)));
    const { renames, deleted } = this.api.fs;
    let to = renames.get(repoPath);
    if (to === undefined && deleted.has(repoPath) && this.api.ctx.conda.envFiles.some((e) => e.path === repoPath && e.migrated) && this.api.fs.exists('pyproject.toml')) {
      to = 'pyproject.toml';
    }
    if (to === undefined) return;
    let relative = path.posix.relative(dir, to);
    if (target.startsWith('./') && !relative.startsWith('.')) relative = `./${relative}`;
    const newUrl = relative + (hash ? `#${hash}` : '');
    const { start, end } = offsets(node);
    const raw = this.source.slice(start, end);
    const marker = node.type === 'link' ? raw.lastIndexOf('](') : raw.indexOf(']:');
    const urlAt = marker === -1 ? -1 : raw.indexOf(url, marker);
    if (urlAt === -1) {
      this.report(start, `links to ${repoPath}, now ${to}: update the link`);
      return;
    }
    this.edits.push({ start: start + urlAt, end: start + urlAt + url.length, text: newUrl });
    this.moved.add(`${repoPath} -> ${to}`);
    // A link whose text is the old file name says the new one.
    if (node.type === 'link' && node.children.length === 1) {
      const child = node.children[0]!;
      if ((child.type === 'text' || child.type === 'inlineCode') && (child.value === target || child.value === path.posix.basename(target))) {
        const c = offsets(child);
        const childRaw = this.source.slice(c.start, c.end);
        const valueAt = childRaw.indexOf(child.value);
        const newValue = child.value === target ? relative : path.posix.basename(to);
        if (valueAt !== -1) this.edits.push({ start: c.start + valueAt, end: c.start + valueAt + child.value.length, text: newValue });
      }
      this.skipped.push(offsets(child)); // handled here: the walk must not edit it again
    }
  }
}

/** File names renamed in this run (same folder), replaced as whole tokens: `./conda-install.sh` -> `./uv-install.sh`. */
/** The Markdown section around `index`: from its heading to the next heading of the same or a higher level. */
function sectionAround(text: string, index: number): Offsets {
  const headings = Array.from(text.matchAll(/^(#{1,6})[ \t]/gm), (m) => ({ at: m.index, level: m[1]!.length }));
  const own = headings.filter((h) => h.at <= index).at(-1);
  const next = headings.find((h) => h.at > index && (own === undefined || h.level <= own.level));
  return { start: own?.at ?? 0, end: next?.at ?? text.length };
}

/** Where a text installs the package `name` with pip or conda (an argument, not `-e .` or a comment). */
function installsPackage(text: string, name: string): number[] {
  // PEP 503 names; conda/names.ts has the same, but loading it (and its table) is not worth it here.
  const normalizeName = (n: string) => n.toLowerCase().replace(/[-_.]+/g, '-');
  const wanted = normalizeName(name);
  const found: number[] = [];
  for (const m of text.matchAll(/\b(?:pip3?|-m pip|conda|mamba|micromamba)\s+install\b([^\n#;&|]*)/g)) {
    const names = m[1]!.trim().split(/\s+/).filter((t) => t !== '' && !t.startsWith('-'));
    if (names.some((t) => normalizeName(t.replace(/^["'`]|["'`]$/g, '').split(/[[=<>~!@;]/)[0]!) === wanted)) found.push(m.index);
  }
  return found;
}

export function renameTokens(text: string, renames: ReadonlyMap<string, string>): string {
  for (const [from, to] of renames) {
    const fromName = path.posix.basename(from);
    const toName = path.posix.basename(to);
    if (path.posix.dirname(from) !== path.posix.dirname(to) || !text.includes(fromName)) continue;
    const escaped = fromName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    text = text.replace(new RegExp(`(?<![\\w.-])${escaped}(?![\\w-]|\\.\\w)`, 'g'), toName);
  }
  return text;
}

export default {
  name: 'docs',
  description: 'Markdown and reStructuredText docs: conda commands to uv, Install Miniconda to Install uv',
  files: ['**/*.md', '**/*.markdown', '**/*.mdx', '**/*.rst'],
  mentions: /conda|mamba|activate|\.ya?ml\b|pip3? install/i,
  onlyWhenMigrating: true,
  // At the top of a repository of several projects, a page about their envs becomes per project.
  projectAware: true,
  async warmUp() {
    loadShellParser();
    await loadFromMarkdown();
  },
  async transform(file: FileInfo, api: Api) {
    if (isHarmlessDoc(file.path, file.source)) return null;
    // At the top of several projects: only a page that names one of their envs (no project is at the top).
    const projects = envProjects(api.ctx);
    if (projects && ![...projects.keys()].some((env) => new RegExp(`(?<![\\w.-])${env.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(file.source))) return null;
    // Instructions that install the published package itself are for its users, not its developers: a
    // Markdown section holding them is left as it is (a reStructuredText page, whole).
    const name = api.ctx.plan?.projectName;
    const installs = name ? installsPackage(file.source, name) : [];
    const note = (at: number, what: string) =>
      api.report({ path: file.path, line: lineColAt(file.source, at).line, message: `installs ${name} itself: ${what} for the package's users, left as it is`, severity: 'info' });
    const doc = new DocRewriter(file, api);
    if (file.path.endsWith('.rst')) {
      if (installs.length > 0) {
        note(installs[0]!, 'a page');
        return null;
      }
      doc.rstBlocks();
      doc.rstInline();
    } else {
      const sections = new Map<number, Offsets & { at: number }>();
      for (const at of installs) {
        const section = sectionAround(file.source, at);
        sections.set(section.start, { at, ...section });
      }
      for (const s of sections.values()) {
        doc.skip(s);
        note(s.at, 'a section');
      }
      const root = (await loadFromMarkdown())(file.source);
      doc.replaceInstallSections(root);
      doc.walk(root);
    }
    const output = applyEdits(file.source, doc.edits);
    if (doc.rewritten > 0) api.decide(`rewrote ${doc.rewritten} shell snippet(s) (code blocks and inline commands) for uv`, file.path);
    if (doc.moved.size > 0) api.decide(`links follow the migration: ${[...doc.moved].join(', ')}`, file.path);
    doc.reports.flush(doc.edits, output, (line, message, severity) => api.report({ path: file.path, line, message, ...(severity ? { severity } : {}) }));
    return output;
  },
} satisfies Codemod;
