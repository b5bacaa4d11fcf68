// GitHub workflow rules: valid for GitHub's workflow schema (@actions/workflow-parser, offline), a job
// that runs uv installs it first, `--group`/`--extra` name what the pyproject.toml has, and a job that
// had a Python matrix still uses it.
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { lineColAt } from '../../codemods/lib/text.js';
import type { Problem } from './tree.js';

let yamlLib: typeof Yaml | undefined;
const yaml = () => (yamlLib ??= createRequire(import.meta.url)('yaml') as typeof Yaml);

export const WORKFLOW = /^\.github\/workflows\/[^/]+\.ya?ml$/;

/** GitHub's own schema errors, with their line and column. Loads the parser on the first workflow. */
export async function schemaProblems(path: string, text: string): Promise<Problem[]> {
  const { parseWorkflow, NoOperationTraceWriter } = await import('@actions/workflow-parser');
  const result = parseWorkflow({ name: path, content: text }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((e) => ({
    line: e.range?.start.line ?? 1,
    col: e.range?.start.column ?? 1,
    message: `not a valid GitHub workflow: ${e.rawMessage}`,
  }));
}

/** A command line that runs uv (or uvx). */
export const RUNS_UV = /(?:^|[\s;&|(`])uvx?[ \t]+(?!=)[\w-]/m;
/** A command line or action that installs uv. */
export const INSTALLS_UV =
  /(?:\bpip3?|\bpipx|\bpython3?\s+-m\s+pip|\bbrew|\bcargo|\bapt(?:-get)?|\bapk|\bconda|\bmamba)\s+(?:install|add)\b[^\n]*?[\s'"=]uv(?:[=<>~!\s'"]|$)|astral\.sh\/uv|astral-sh\/uv|setup-uv|\bcurl\b[^\n]*\buv\b[^\n]*install|install-uv/im;

export interface JobView {
  name: string;
  /** Offset of the job's key in the text. */
  at: number;
  /** Each step: its offset, its `uses` and its `run` text. */
  steps: { at: number; uses?: string; run?: string; workingDirectory?: boolean }[];
  /** Where uv may come from outside the steps: a container image, a self-hosted runner, a reusable workflow. */
  outside: boolean;
  workingDirectory: boolean;
  /** The job's matrix keys, each with its offset. */
  matrix: { key: string; at: number }[];
  /** The job's text. */
  text: string;
}

/** The jobs of a workflow, or [] when it does not parse. */
export function jobsOf(text: string): JobView[] {
  return jobsOfDocument(yaml().parseDocument(text, { prettyErrors: false }), text);
}

/** jobsOf, from the workflow's document already parsed (its only one, parsed with the default options). */
function jobsOfDocument(doc: Yaml.Document, text: string): JobView[] {
  const { isMap, isSeq, isScalar, isNode } = yaml();
  if (doc.errors.length > 0) return [];
  const jobs = doc.get('jobs', true);
  if (!isMap(jobs)) return [];
  const str = (node: unknown) => (isScalar(node) && typeof node.value === 'string' ? node.value : undefined);
  const views: JobView[] = [];
  const defaults = doc.getIn(['defaults', 'run', 'working-directory']) !== undefined;
  for (const pair of jobs.items) {
    const job = pair.value;
    const key = pair.key as Yaml.Node;
    if (!isMap(job) || !key?.range) continue;
    const range = job.range ?? [key.range[0], key.range[1]];
    const steps: JobView['steps'] = [];
    const seq = job.get('steps', true);
    if (isSeq(seq)) {
      for (const step of seq.items) {
        if (!isMap(step)) continue;
        steps.push({
          at: (step as Yaml.YAMLMap).range?.[0] ?? range[0],
          ...(str(step.get('uses', true)) ? { uses: str(step.get('uses', true))! } : {}),
          ...(str(step.get('run', true)) ? { run: str(step.get('run', true))! } : {}),
          workingDirectory: step.has('working-directory'),
        });
      }
    }
    // Only runs-on to plain JS, as the whole job's toJSON() would give it (aliases unresolved there too).
    const runsOnNode = job.get('runs-on', true);
    const runsOn = JSON.stringify((isNode(runsOnNode) ? (runsOnNode as Yaml.Scalar).toJSON('runs-on') : runsOnNode) ?? '');
    const matrixNode = job.getIn(['strategy', 'matrix'], true);
    const matrix = isMap(matrixNode)
      ? matrixNode.items.flatMap((p) => {
          const k = p.key as Yaml.Node;
          return isScalar(k) && typeof k.value === 'string' ? [{ key: k.value, at: k.range?.[0] ?? range[0] }] : [];
        })
      : [];
    views.push({
      name: String((key as Yaml.Scalar).value),
      at: key.range[0],
      steps,
      outside: job.has('container') || job.has('uses') || /self-hosted/.test(runsOn),
      workingDirectory: defaults || job.hasIn(['defaults', 'run', 'working-directory']),
      matrix,
      text: text.slice(key.range[0], range[2] ?? range[1]),
    });
  }
  return views;
}

const jobsByTree = new WeakMap<object, Map<string, JobView[]>>();

/**
 * jobsOf, remembered for one run's tree: the verification step and `check` read the same workflows
 * (the views are never changed by their readers).
 */
export function jobsIn(tree: object): (text: string) => JobView[] {
  const memo = memoOf(tree);
  return (text) => {
    let jobs = memo.get(text);
    if (!jobs) memo.set(text, (jobs = jobsOf(text)));
    return jobs;
  };
}

function memoOf(tree: object): Map<string, JobView[]> {
  let known = jobsByTree.get(tree);
  if (!known) jobsByTree.set(tree, (known = new Map()));
  return known;
}

/**
 * Tells jobsIn(tree) the document the YAML parse check made of a workflow's text (parseAllDocuments with
 * unique keys, as parseDocument does by default), so that the text is not parsed again: only when it is
 * the text's one document.
 */
export function knownDocuments(tree: object, text: string, docs: readonly Yaml.Document[]): void {
  const memo = memoOf(tree);
  if (docs.length === 1 && !memo.has(text)) memo.set(text, jobsOfDocument(docs[0]!, text));
}

/** A step that runs uv in a job that did not install it in an earlier step. */
export function uvNotInstalled(text: string, jobs: readonly JobView[]): Problem[] {
  const problems: Problem[] = [];
  for (const job of jobs) {
    if (job.outside) continue;
    let installed = false;
    for (const step of job.steps) {
      // A local or third-party action that may set uv up: trusted, since what it does is not in this file.
      if (step.uses && (INSTALLS_UV.test(step.uses) || /(?:^|\/)[^/@]*uv[^/@]*(?:@|$)/i.test(step.uses) || step.uses.startsWith('./'))) installed = true;
      if (!step.run) continue;
      if (INSTALLS_UV.test(step.run)) installed = true;
      else if (!installed && RUNS_UV.test(step.run)) {
        problems.push({ ...lineColAt(text, step.at), message: `job ${job.name} runs uv before any step installs it (add astral-sh/setup-uv before this step)` });
        break;
      }
    }
  }
  return problems;
}

/** PEP 503/685 normal form of a name, group or extra. */
export function normalName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** What a pyproject.toml declares that `uv sync --group/--extra` may name. */
export interface Declared {
  groups: ReadonlySet<string>;
  extras: ReadonlySet<string>;
}

/** `uv ... --group X`/`--only-group X`/`--extra X` naming a group or extra `declared` does not have. */
export function undeclaredGroups(text: string, jobs: readonly JobView[], declared: Declared | undefined): Problem[] {
  if (!declared) return [];
  const problems: Problem[] = [];
  for (const job of jobs) {
    if (job.workingDirectory) continue;
    for (const step of job.steps) {
      if (!step.run || step.workingDirectory) continue;
      for (const line of step.run.split('\n')) {
        if (!/\buv\s+(?:sync|run|export|pip\s+install|lock|tree)\b/.test(line)) continue;
        for (const m of line.matchAll(/--(only-group|group|extra)(?:=|\s+)([A-Za-z0-9][\w.-]*)(?![\w$])/g)) {
          const kind = m[1] === 'extra' ? 'extra' : 'group';
          const known = kind === 'extra' ? declared.extras : declared.groups;
          if (known.has(normalName(m[2]!))) continue;
          const at = text.indexOf(m[0], step.at);
          problems.push({ ...lineColAt(text, at < 0 ? step.at : at), message: `--${m[1]} ${m[2]}: pyproject.toml has no such ${kind === 'extra' ? 'extra ([project.optional-dependencies])' : 'group ([dependency-groups])'}` });
        }
      }
    }
  }
  return problems;
}

/** A job that had a Python version matrix and no longer uses it (after the run). */
export function droppedPythonMatrix(before: readonly JobView[], after: string, afterJobs: readonly JobView[]): Problem[] {
  const problems: Problem[] = [];
  for (const old of before) {
    const keys = old.matrix.filter((m) => /python/i.test(m.key) && old.text.includes(`matrix.${m.key}`));
    const now = afterJobs.find((j) => j.name === old.name);
    if (!now) continue;
    for (const { key } of keys) {
      if (now.text.includes(`matrix.${key}`)) continue;
      const at = now.matrix.find((m) => m.key === key)?.at ?? now.at;
      problems.push({ ...lineColAt(after, at), message: `job ${old.name} had a Python matrix (matrix.${key}) and no longer uses it` });
    }
  }
  return problems;
}
