// .github/dependabot.yml: a `uv` entry for the directory holding pyproject.toml, scheduled like its
// neighbours, so uv.lock gets update PRs; entries that watched conda env files are reported.
import path from 'node:path';
import type { Api, Codemod, FileInfo } from '../../contract/types.js';
import { applyEdits } from '../lib/text.js';
import { columnOf, isMap, isSeq, lineOf, pairOf, parseYaml, quoteLike, removeLinesEdit, scalarString, seqItemStart, type Node } from '../lib/yaml.js';

/** `/` for the repository root, `/sub/dir` otherwise, as dependabot writes directories. */
function dependabotDir(dir: string): string {
  return dir === '.' || dir === '' ? '/' : `/${dir}`;
}

function normaliseDir(dir: string): string {
  return `/${dir.replace(/^\.?\/+|\/+$/g, '')}`;
}

export default {
  name: 'dependabot',
  description: 'Dependabot: a uv entry beside the others',
  files: ['.github/dependabot.yml', '.github/dependabot.yaml'],
  onlyWhenMigrating: true,
  transform(file: FileInfo, api: Api) {
    const { source } = file;
    const parsed = parseYaml(source);
    const updates = pairOf(parsed.doc.contents, 'updates')?.value;
    const entries = isSeq(updates) ? (updates.items as Node[]).filter((n) => isMap(n)) : [];
    const ecosystem = (entry: Node) => scalarString(parsed.doc, pairOf(entry, 'package-ecosystem')?.value);
    const directory = (entry: Node) => normaliseDir(scalarString(parsed.doc, pairOf(entry, 'directory')?.value) ?? '/');
    /** `directory:` or the newer `directories:` list covers `dir`. */
    const covers = (entry: Node, dir: string) => {
      const list = pairOf(entry, 'directories')?.value;
      if (isSeq(list)) return list.items.some((n) => normaliseDir(scalarString(parsed.doc, n) ?? '') === normaliseDir(dir));
      return directory(entry) === normaliseDir(dir);
    };

    // Dependabot's conda ecosystem watched the env files, which are gone into pyproject.toml and uv.lock.
    for (const entry of entries) {
      if (ecosystem(entry) !== 'conda') continue;
      api.report({ path: file.path, line: lineOf(parsed, entry.range![0]), message: `the conda entry for ${directory(entry)} watched env files that moved to pyproject.toml and uv.lock: remove it` });
    }

    const projects = api.fs.matching(['**/pyproject.toml']);
    if (projects.length === 0) return source;
    const dir = dependabotDir(path.posix.dirname(projects.includes('pyproject.toml') ? 'pyproject.toml' : projects[0]!));
    if (entries.some((e) => ecosystem(e) === 'uv' && covers(e, dir))) return source;
    const pip = entries.find((e) => ecosystem(e) === 'pip' && directory(e) === normaliseDir(dir));
    if (pip) {
      // With no requirements file left beside pyproject.toml, the pip entry simply becomes the uv entry.
      const pipDir = normaliseDir(dir).slice(1);
      const requirements = api.fs.paths().filter((p) => path.posix.dirname(p) === (pipDir || '.') && /requirements[^/]*\.(?:txt|in)$/.test(p));
      if (requirements.length === 0) {
        const node = pairOf(pip, 'package-ecosystem')!.value as Node;
        api.decide(`the pip entry for ${dir} became the uv entry: no requirements file is left there`, file.path);
        return applyEdits(source, [{ start: node.range![0], end: node.range![1], text: quoteLike(node, 'uv') }]);
      }
      api.report({ path: file.path, line: lineOf(parsed, pip.range![0]), message: `the pip entry for ${dir} overlaps the new uv entry (${requirements.join(', ')} remain): keep it only for those` });
    }

    // Python dependencies were updated on the pip or conda entry's rhythm; else take any other ecosystem's.
    const neighbour = pip ?? entries.find((e) => ecosystem(e) === 'conda') ?? entries.find((e) => ecosystem(e) !== 'github-actions') ?? entries[0];
    if (!neighbour || !isSeq(updates) || updates.flow) {
      api.report({ path: file.path, message: `add a package-ecosystem "uv" entry for ${dir} by hand` });
      return source;
    }
    const dash = ' '.repeat(columnOf(source, seqItemStart(source, neighbour)));
    const key = ' '.repeat(columnOf(source, neighbour.range![0]));
    const schedule = pairOf(neighbour, 'schedule');
    const scheduleText = schedule
      ? key + source.slice((schedule.key as Node).range![0], removeLinesEdit(source, schedule).end)
      : `${key}schedule:\n${key}  interval: "weekly"\n`;
    let block =
      `${dash}- package-ecosystem: ${quoteLike(pairOf(neighbour, 'package-ecosystem')?.value, 'uv')}\n` +
      `${key}directory: ${quoteLike(pairOf(neighbour, 'directory')?.value, dir)}\n` +
      scheduleText;
    if (!block.endsWith('\n')) block += '\n';
    const end = removeLinesEdit(source, entries.at(-1)!).end;
    const second = entries[1];
    const spaced = second !== undefined && /\n[ \t]*\n[ \t]*$/.test(source.slice(0, seqItemStart(source, second)));
    const newline = end > 0 && source[end - 1] !== '\n' ? '\n' : '';
    api.decide(`added a package-ecosystem "uv" entry for ${dir}, scheduled like the ${ecosystem(neighbour)} entry`, file.path);
    return applyEdits(source, [{ start: end, end, text: newline + (spaced ? '\n' : '') + block }]);
  },
} satisfies Codemod;
