// package.json scripts and JS/TS child_process/execa calls that run conda. Only string contents are
// edited (quotes, formatting and key order kept); a command built at run time becomes a follow-up.
import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';
import type { ts as Ts } from 'ts-morph';
import { CONDA_TOOLS } from '../lib/conda/vocabulary.js';
import { PendingReports } from '../lib/edit-lines.js';
import { CodemodError } from '../../contract/errors.js';
import { readExecForm } from '../lib/shell/exec-form.js';
import { HOSTS, type HostPolicy } from '../lib/shell/hosts.js';
import { loadShellParser, rewriteShell, type ShellResult } from '../lib/shell/index.js';
import { applyEdits, lineColAt, type Edit } from '../lib/text.js';
import type { Api, Codemod, FileInfo } from '../../contract/types.js';

// ts-morph is slow to load: only a JS/TS file that mentions conda pays for it (a lazy require, so
// that loading it stays synchronous).
let tsMorph: typeof TsMorph | undefined;
const loadTs = (): typeof Ts => (tsMorph ??= createRequire(import.meta.url)('ts-morph') as typeof TsMorph).ts;

const CONDA = /\b(?:conda|mamba|micromamba)\b/;
/** A command line worth the engine: it names conda or activates an env. */
const CONDA_COMMAND = /\b(?:conda|mamba|micromamba|activate)\b/;
/** Calls whose first argument is a whole shell command line. */
const COMMAND_CALLS = new Set(['exec', 'execSync', 'execaCommand', 'execaCommandSync']);
/** Calls whose first argument is a program and the second its argument array. */
const SPAWN_CALLS = new Set(['spawn', 'spawnSync', 'execFile', 'execFileSync', 'execa', 'execaSync']);

function shell(text: string, host: HostPolicy, api: Api): ShellResult {
  return rewriteShell(text, { host, ctx: api.ctx, renames: api.fs.renames });
}

function reportNotes(result: ShellResult, line: number, file: FileInfo, api: Api): void {
  for (const note of result.notes) api.report({ path: file.path, line: line + note.line - 1, message: note.message });
}

// ---------------------------------------------------------------- package.json

interface JsonString {
  start: number; // index of the opening quote
  end: number; // index after the closing quote
  value: string;
}

/** The string values of the top-level `scripts` object, with their positions. */
function scriptStrings(source: string): JsonString[] {
  try {
    JSON.parse(source);
  } catch (error) {
    const at = /position (\d+)/.exec((error as Error).message);
    const { line, col } = at ? lineColAt(source, Number(at[1])) : { line: undefined, col: undefined };
    throw new CodemodError(`not valid JSON: ${(error as Error).message}`, line, col);
  }
  let i = 0;
  const ws = () => {
    while (/\s/.test(source[i] ?? '')) i++;
  };
  const str = (): JsonString => {
    const start = i;
    for (i++; source[i] !== '"'; i++) if (source[i] === '\\') i++;
    i++;
    return { start, end: i, value: JSON.parse(source.slice(start, i)) as string };
  };
  const skipValue = (): void => {
    ws();
    const c = source[i];
    if (c === '"') return void str();
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      while (source[i] !== close) {
        if (c === '{') {
          str();
          ws();
          i++; // ':'
        }
        skipValue();
        ws();
        if (source[i] === ',') i++;
        ws();
      }
      i++;
      return;
    }
    while (i < source.length && !/[\s,}\]]/.test(source[i]!)) i++;
  };
  const found: JsonString[] = [];
  ws();
  if (source[i] !== '{') return found;
  i++;
  ws();
  while (source[i] !== '}') {
    const key = str();
    ws();
    i++; // ':'
    ws();
    if (key.value === 'scripts' && source[i] === '{') {
      i++;
      ws();
      while (source[i] !== '}') {
        str();
        ws();
        i++;
        ws();
        if (source[i] === '"') found.push(str());
        else skipValue();
        ws();
        if (source[i] === ',') i++;
        ws();
      }
      i++;
    } else {
      skipValue();
    }
    ws();
    if (source[i] === ',') i++;
    ws();
  }
  return found;
}

function packageJson(file: FileInfo, api: Api): string {
  const edits: Edit[] = [];
  for (const script of scriptStrings(file.source)) {
    if (!CONDA_COMMAND.test(script.value)) continue;
    const result = shell(script.value, HOSTS['package-json'], api);
    reportNotes(result, lineColAt(file.source, script.start).line, file, api);
    if (result.text === script.value) continue;
    edits.push({ start: script.start, end: script.end, text: JSON.stringify(result.text) });
    api.decide(`script \`${script.value}\` -> \`${result.text}\``, file.path);
  }
  return applyEdits(file.source, edits);
}

// ---------------------------------------------------------------- JS/TS

/** A JS string literal holding `value`, in the quote style of `raw` (the literal it replaces). */
export function jsString(value: string, raw: string): string {
  const quote = raw[0] === '`' ? '`' : raw[0] === '"' ? '"' : "'";
  let body = value.replace(/\\/g, '\\\\').replace(/\n/g, quote === '`' ? '\n' : '\\n');
  body = quote === '`' ? body.replace(/`/g, '\\`').replace(/\$\{/g, '\\${') : body.split(quote).join(`\\${quote}`);
  return quote + body + quote;
}

function calleeName(ts: typeof Ts, call: Ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

function isStatic(ts: typeof Ts, node: Ts.Node | undefined): node is Ts.StringLiteral | Ts.NoSubstitutionTemplateLiteral {
  return node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node));
}

function scriptKind(ts: typeof Ts, path: string): Ts.ScriptKind {
  if (path.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (/\.[mc]?ts$/.test(path)) return ts.ScriptKind.TS;
  if (path.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

async function jsSource(file: FileInfo, api: Api): Promise<string> {
  const ts = loadTs();
  const sf = ts.createSourceFile(file.path, file.source, ts.ScriptTarget.Latest, true, scriptKind(ts, file.path));
  const diagnostics = (sf as unknown as { parseDiagnostics?: Ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (diagnostics.length > 0) {
    const first = diagnostics[0]!;
    const { line, col } = lineColAt(file.source, first.start ?? 0);
    throw new CodemodError(ts.flattenDiagnosticMessageText(first.messageText, '\n'), line, col);
  }
  const edits: Edit[] = [];
  // Removing array elements can remove lines: follow-ups are placed on the new text at the end.
  const reports = new PendingReports();
  const followUp = (node: Ts.Node, message: string) => reports.add(node.getStart(sf), message);

  /** A literal holding a whole command line: through the engine, spliced back in its own quotes. */
  const rewriteLiteral = (literal: Ts.StringLiteral | Ts.NoSubstitutionTemplateLiteral) => {
    if (!CONDA_COMMAND.test(literal.text)) return;
    const result = shell(literal.text, HOSTS.js, api);
    for (const note of result.notes) followUp(literal, note.message);
    if (result.text === literal.text) return;
    edits.push({ start: literal.getStart(sf), end: literal.getEnd(), text: jsString(result.text, literal.getText(sf)) });
    api.decide(`command \`${literal.text}\` -> \`${result.text}\``, file.path);
  };

  const dynamic = (node: Ts.Node) => {
    if (CONDA.test(node.getText(sf))) followUp(node, 'runs a conda command built at run time: rewrite it for uv by hand');
  };

  /** spawn('conda', ['run', '-n', 'x', 'python', 'a.py']) -> spawn('uv', ['run', 'python', 'a.py']). */
  const condaRun = (program: Ts.StringLiteral | Ts.NoSubstitutionTemplateLiteral, args: Ts.ArrayLiteralExpression) => {
    const elements = args.elements;
    if (!elements.every((e) => isStatic(ts, e))) return followUp(args, 'runs a conda command built at run time: rewrite it for uv by hand');
    const words = elements.map((e) => (e as Ts.StringLiteral).text);
    const form = readExecForm([program.text, ...words]);
    if (words[0] !== 'run' || form.start === 0) {
      followUp(program, `spawns \`${[program.text, ...words].join(' ')}\`: rewrite it for uv by hand`);
      return;
    }
    const uncovered = form.runOptions.find((o) => !o.covered);
    if (uncovered) return followUp(program, `conda run option ${words[uncovered.index - 1]} has no uv run equivalent: rewrite by hand`);
    // Indices in `words` (without the program) of the options, which uv run needs none of.
    const drop = form.runOptions.flatMap((o) => (o.words === 2 ? [o.index - 1, o.index] : [o.index - 1]));
    edits.push({ start: program.getStart(sf), end: program.getEnd(), text: jsString('uv', program.getText(sf)) });
    api.decide(`spawn of \`${[program.text, ...words].join(' ')}\` -> \`${['uv', ...words.filter((_, k) => !drop.includes(k))].join(' ')}\``, file.path);
    // Remove each dropped element with the separator after it, so the array keeps its layout.
    for (const d of drop) {
      const element = elements[d]!;
      const next = elements[d + 1];
      edits.push({ start: element.getStart(sf), end: next ? next.getStart(sf) : element.getEnd(), text: '' });
    }
  };

  const visit = (node: Ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const name = calleeName(ts, node);
      const [first, second] = node.arguments;
      if (name && COMMAND_CALLS.has(name) && first) {
        if (isStatic(ts, first)) rewriteLiteral(first);
        else dynamic(first);
      } else if (name && SPAWN_CALLS.has(name) && first) {
        if (!isStatic(ts, first)) {
          dynamic(node);
        } else if (CONDA_TOOLS.has(first.text)) {
          if (second && ts.isArrayLiteralExpression(second)) condaRun(first, second);
          else followUp(first, `spawns ${first.text} with arguments built at run time: rewrite it for uv by hand`);
        } else if (second && ts.isArrayLiteralExpression(second) && !/\s/.test(first.text)) {
          // spawn('bash', ['-c', 'conda run ...']): the string after -c is a command line.
          const words = second.elements.map((e) => (isStatic(ts, e) ? (e as Ts.StringLiteral).text : undefined));
          const at = readExecForm([first.text, ...words]).script;
          const script = at === undefined ? undefined : second.elements[at - 1];
          if (isStatic(ts, script)) rewriteLiteral(script);
          else if (script) dynamic(script);
        } else if (/\s/.test(first.text)) {
          rewriteLiteral(first); // spawn('conda run ...', {shell: true})
        }
      }
    } else if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && /^(?:\$|execa|execaSync)$/.test(node.tag.text)) {
      // execa's and zx's $`...`: a command line in a template.
      if (isStatic(ts, node.template)) rewriteLiteral(node.template);
      else dynamic(node.template);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const output = applyEdits(file.source, edits);
  reports.flush(edits, output, (line, message) => api.report({ path: file.path, line, message }));
  return output;
}

export default {
  name: 'js-ts',
  description: 'JS/TS and package.json: conda commands in scripts and child_process calls',
  files: ['**/package.json', '**/*.js', '**/*.mjs', '**/*.cjs', '**/*.ts', '**/*.mts', '**/*.cts', '**/*.jsx', '**/*.tsx'],
  // Plain words, so the runner's git grep pre-pass can use them; the word-boundary test follows.
  mentions: /conda|mamba/,
  onlyWhenMigrating: true,
  // ts-morph is left to the transform: it costs far more than git's walk, and few JS files run conda.
  warmUp() {
    loadShellParser();
  },
  async transform(file: FileInfo, api: Api) {
    if (file.path.endsWith('.d.ts') || !CONDA.test(file.source)) return null;
    if (file.path === 'package.json' || file.path.endsWith('/package.json')) return packageJson(file, api);
    return jsSource(file, api);
  },
} satisfies Codemod;
