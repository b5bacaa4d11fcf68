// pyproject.toml rules: PEP 621's [project] (a valid name, a PEP 440 version or a dynamic one, a one-line
// description, well-formed classifiers), every requirement valid PEP 508 (codemods/lib/pep508.ts, a
// recursive-descent parser over the grammar), and no requirement naming the project itself.
import { createRequire } from 'node:module';
import { isValidName, parseRequirement } from '../../codemods/lib/pep508.js';
import { lineColAt } from '../../codemods/lib/text.js';
import type { Problem } from './tree.js';
import { normalName, type Declared } from './workflow.js';

let tomlLib: typeof import('smol-toml') | undefined;
const toml = () => (tomlLib ??= createRequire(import.meta.url)('smol-toml') as typeof import('smol-toml'));

/** PEP 440's public and local versions (its appendix's canonical pattern). */
const PEP440 =
  /^v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*(?:[-_.]?(?:a|b|c|rc|alpha|beta|pre|preview)[-_.]?[0-9]*)?(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?(?:[-_.]?dev[-_.]?[0-9]*)?(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?$/i;
/** A trove classifier's shape: `Topic :: Sub :: Leaf` (checked offline: the shape, not the list). */
const CLASSIFIER = /^[A-Za-z0-9][^:\n]*?(?: :: [^:\n]*[^:\s])+$/;
/** Core metadata's Summary is one line; PyPI refuses more than this. */
const MAX_DESCRIPTION = 512;

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

let last: { text: string; doc: Table | undefined } | undefined;

/** The text's tables (never changed by a reader), or undefined when it does not parse; the last one is kept (every workflow asks about the same pyproject.toml). */
function parsed(text: string): Table | undefined {
  if (last?.text === text) return last.doc;
  let doc: Table | undefined;
  try {
    doc = toml().parse(text) as Table;
  } catch {
    doc = undefined;
  }
  last = { text, doc };
  return doc;
}

/** The groups and extras a pyproject.toml declares, or undefined when it does not parse. */
export function declaredGroups(text: string): Declared | undefined {
  const doc = parsed(text);
  if (!doc) return undefined;
  const project = isTable(doc.project) ? doc.project : {};
  const extras = isTable(project['optional-dependencies']) ? Object.keys(project['optional-dependencies']) : [];
  const groups = isTable(doc['dependency-groups']) ? Object.keys(doc['dependency-groups']) : [];
  return { groups: new Set(groups.map(normalName)), extras: new Set(extras.map(normalName)) };
}

/** Where a string value sits in the text (its first occurrence after `from`), for line:col. */
function at(text: string, value: string, from = 0): { line: number; col: number } {
  const i = text.indexOf(value, from);
  return lineColAt(text, i < 0 ? 0 : i);
}

export function pyprojectProblems(text: string): Problem[] {
  const doc = parsed(text);
  if (!doc) return []; // the parse check reports it
  const problems: Problem[] = [];
  const add = (value: string, message: string) => problems.push({ ...at(text, value), message });
  const project = isTable(doc.project) ? doc.project : undefined;
  const dynamic = Array.isArray(project?.dynamic) ? project.dynamic : [];
  const name = typeof project?.name === 'string' ? project.name : undefined;
  if (project) {
    if (name === undefined) problems.push({ ...at(text, '[project]'), message: '[project] has no name' });
    else if (!isValidName(name)) add(name, `[project].name ${JSON.stringify(name)} is not a valid project name`);
    if (project.version === undefined && !dynamic.includes('version')) problems.push({ ...at(text, '[project]'), message: '[project] has neither a version nor "version" in dynamic' });
    if (typeof project.version === 'string' && !PEP440.test(project.version)) add(project.version, `[project].version ${JSON.stringify(project.version)} is not a PEP 440 version`);
    if (typeof project.description === 'string') {
      if (/[\r\n]/.test(project.description)) add('description', '[project].description must be one line');
      else if (project.description.length > MAX_DESCRIPTION) add('description', `[project].description is over ${MAX_DESCRIPTION} characters`);
    }
    if (Array.isArray(project.classifiers)) {
      for (const c of project.classifiers) if (typeof c !== 'string' || !CLASSIFIER.test(c)) add(String(c), `classifier ${JSON.stringify(c)} is not of the form "Topic :: Sub :: Leaf"`);
    }
  }
  const self = name && isValidName(name) ? normalName(name) : undefined;
  const check = (list: unknown, where: string, selfAllowed: boolean) => {
    if (!Array.isArray(list)) return;
    for (const item of list) {
      if (typeof item !== 'string') continue; // {include-group = ...} in [dependency-groups]
      const r = parseRequirement(item);
      if ('error' in r) add(item, `${where}: ${JSON.stringify(item)} is not a valid PEP 508 requirement (column ${r.column}: ${r.error})`);
      // An extra or group may install the project with its own extras; the project's own dependencies may not.
      else if (self && normalName(r.name) === self && !(selfAllowed && r.extras.length > 0)) add(item, `${where}: ${JSON.stringify(item)} names the project itself`);
    }
  };
  check(project?.dependencies, '[project].dependencies', false);
  for (const [extra, list] of Object.entries(isTable(project?.['optional-dependencies']) ? project['optional-dependencies'] : {})) check(list, `[project.optional-dependencies].${extra}`, true);
  for (const [group, list] of Object.entries(isTable(doc['dependency-groups']) ? doc['dependency-groups'] : {})) check(list, `[dependency-groups].${group}`, true);
  check(isTable(doc['build-system']) ? doc['build-system'].requires : undefined, '[build-system].requires', false);
  return problems;
}
