// .pre-commit-config.yaml: conda hooks become python (or system hooks run through `uv run`), patterns
// naming env files name pyproject.toml|uv.lock, and a uv-lock hook keeps the lockfile in step.
import type { Api, Codemod, FileInfo } from '../../contract/types.js';
import { parseRequirement } from '../lib/pep508.js';
import { applyEdits, type Edit } from '../lib/text.js';
import { columnOf, isMap, isScalar, isSeq, lineOf, pairOf, parseYaml, quoteLike, removeLinesEdit, scalarString, scalarValueEdit, seqItemStart, type Node } from '../lib/yaml.js';

/** The conda spec and name tables, loaded only for a conda hook with additional_dependencies. */
let tables: Promise<{ parseCondaSpec: typeof import('../lib/conda/spec.js').parseCondaSpec; pypiName: typeof import('../lib/conda/names.js').pypiName }> | undefined;
function condaTables() {
  tables ??= Promise.all([import('../lib/conda/spec.js'), import('../lib/conda/names.js')]).then(([spec, names]) => ({ parseCondaSpec: spec.parseCondaSpec, pypiName: names.pypiName }));
  return tables;
}

const UV_PRE_COMMIT = 'https://github.com/astral-sh/uv-pre-commit';
/** An env file name written inside a regex: environment\.yml, linux_environment.*\.ya?ml, conda-env[.]yaml... */
const ENV_FILE_IN_REGEX = /[\w-]*(?:environment|conda)[\w\-.*+?\\]*?(?:\\\.|\[\.\]|\.)ya?\??ml/gi;
const UV_FILES_REGEX = '(pyproject\\.toml|uv\\.lock)';

export default {
  name: 'pre-commit',
  description: 'pre-commit: conda hooks to python, uv-lock hook added',
  files: ['.pre-commit-config.yaml', '.pre-commit-config.yml'],
  onlyWhenMigrating: true,
  async transform(file: FileInfo, api: Api) {
    const parsed = parseYaml(file.source);
    const repos = pairOf(parsed.doc.contents, 'repos')?.value;
    if (!isSeq(repos)) return file.source;
    const source = file.source;
    const edits: Edit[] = [];
    const line = (node: Node) => lineOf(parsed, node.range![0]);

    for (const pattern of ['files', 'exclude']) {
      const pair = pairOf(parsed.doc.contents, pattern);
      if (pair) fixPattern(pair);
    }
    for (const repo of repos.items as Node[]) {
      const local = scalarString(parsed.doc, pairOf(repo, 'repo')?.value) === 'local';
      const hooks = pairOf(repo, 'hooks')?.value;
      if (!isSeq(hooks)) continue;
      for (const hook of hooks.items as Node[]) {
        for (const pattern of ['files', 'exclude']) {
          const pair = pairOf(hook, pattern);
          if (pair) fixPattern(pair);
        }
        const language = pairOf(hook, 'language');
        if (scalarString(parsed.doc, language?.value) === 'conda') await fixCondaHook(hook, language!.value as Node, local);
      }
    }
    const hasUvLock = (repos.items as Node[]).some((r) => scalarString(parsed.doc, pairOf(r, 'repo')?.value)?.startsWith(UV_PRE_COMMIT));
    if (!hasUvLock) addUvLockHook(repos.items as Node[], repos.flow === true);
    return applyEdits(source, edits);

    /** A `files:`/`exclude:` regex naming env files names pyproject.toml and uv.lock instead. */
    function fixPattern(pair: NonNullable<ReturnType<typeof pairOf>>): void {
      const value = scalarString(parsed.doc, pair.value);
      if (value === undefined || !value.match(ENV_FILE_IN_REGEX)) return;
      const edit = scalarValueEdit(source, pair, value.replace(ENV_FILE_IN_REGEX, UV_FILES_REGEX));
      if (edit) edits.push(edit);
      api.decide(`${scalarString(parsed.doc, pair.key)} pattern at line ${line(pair.value as Node)}: env files replaced by ${UV_FILES_REGEX}`, file.path);
    }

    /**
     * A local conda hook ran in the project's env: it becomes a system hook run through `uv run`.
     * A hook with its own additional_dependencies gets an isolated python env instead.
     */
    async function fixCondaHook(hook: Node, language: Node, local: boolean): Promise<void> {
      const id = scalarString(parsed.doc, pairOf(hook, 'id')?.value) ?? '?';
      const extra = pairOf(hook, 'additional_dependencies');
      const entry = pairOf(hook, 'entry');
      const entryText = scalarString(parsed.doc, entry?.value);
      if (!local || extra || !entry || entryText === undefined) {
        edits.push({ start: language.range![0], end: language.range![1], text: quoteLike(language, 'python') });
        if (extra) await convertSpecs(id, extra.value as Node);
        api.decide(`hook ${id}: language conda -> python`, file.path);
        return;
      }
      edits.push({ start: language.range![0], end: language.range![1], text: quoteLike(language, 'system') });
      if (!/^uv\s/.test(entryText)) {
        const edit = scalarValueEdit(source, entry, `uv run ${entryText}`);
        if (edit) edits.push(edit);
      }
      api.decide(`hook ${id}: language conda -> system, run with uv run in the project env`, file.path);
    }

    /** additional_dependencies of a conda hook are conda match specs: pip installs PyPI requirements. */
    async function convertSpecs(id: string, list: Node): Promise<void> {
      const items = isSeq(list) ? (list.items as Node[]) : [];
      const { parseCondaSpec, pypiName } = await condaTables();
      const unsure: string[] = [];
      for (const item of items) {
        const raw = scalarString(parsed.doc, item);
        if (raw === undefined) continue;
        let requirement: string;
        try {
          const spec = parseCondaSpec(raw);
          if (spec.note) unsure.push(raw);
          requirement = `${pypiName(spec.name)}${spec.extras ? `[${spec.extras}]` : ''}${spec.specifier}`;
          // pip reads it as PEP 508: nothing else written from the hook's text.
          if ('error' in parseRequirement(requirement)) throw new Error('not PEP 508');
        } catch {
          unsure.push(raw);
          continue;
        }
        if (requirement !== raw) edits.push({ start: item.range![0], end: item.range![1], text: quoteLike(item, requirement) });
      }
      if (unsure.length > 0) api.report({ path: file.path, line: line(list), message: `hook ${id}: check these additional_dependencies by hand (conda specs with no exact PyPI form): ${unsure.join(', ')}` });
    }

    /** Append the uv-pre-commit repo with its uv-lock hook, in the indentation the other repos use. */
    function addUvLockHook(items: Node[], flow: boolean): void {
      const first = items[0];
      if (flow || !first || !isMap(first)) {
        api.report({ path: file.path, message: `add the ${UV_PRE_COMMIT} repo with its uv-lock hook (rev ${api.ctx.uvVersion}) by hand` });
        return;
      }
      const dash = ' '.repeat(columnOf(source, seqItemStart(source, first)));
      const key = ' '.repeat(columnOf(source, first.range![0]));
      const firstHook = (pairOf(first, 'hooks')?.value as { items?: Node[] } | undefined)?.items?.[0];
      const hookDash = firstHook ? ' '.repeat(columnOf(source, seqItemStart(source, firstHook))) : `${key}  `;
      const revNode = pairOf(first, 'rev')?.value;
      const block =
        `${dash}- repo: ${UV_PRE_COMMIT}\n` +
        `${key}rev: ${isScalar(revNode) ? quoteLike(revNode, api.ctx.uvVersion) : api.ctx.uvVersion}\n` +
        `${key}hooks:\n` +
        `${hookDash}- id: uv-lock\n`;
      const end = removeLinesEdit(source, items.at(-1)!).end;
      const newline = end > 0 && source[end - 1] !== '\n' ? '\n' : '';
      // Keep the file's rhythm: a blank line between repos if the first two have one.
      const second = items[1];
      const spaced = second !== undefined && /\n[ \t]*\n[ \t]*$/.test(source.slice(0, seqItemStart(source, second)));
      edits.push({ start: end, end, text: newline + (spaced ? '\n' : '') + block });
      api.decide(`added the ${UV_PRE_COMMIT} uv-lock hook (rev ${api.ctx.uvVersion}) so uv.lock never goes stale`, file.path);
    }
  },
} satisfies Codemod;
