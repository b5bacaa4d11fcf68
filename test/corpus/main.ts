// `npm run corpus`: the built CLI on every real repository under ../shared/corpus/repos (migrate.ts),
// one line per repository, a closing total, exit 1 while a finding remains.
//   --only NAME[,NAME]   just these repositories (a substring of the folder name; repeatable)
//   --keep DIR           keep the migrated trees (DIR/<name>: `git diff HEAD~1` is the migration)
//   --json FILE          every finding, per repository, as JSON
//   --cli PATH           another build of the CLI (to compare before and after a change)
//   --verbose            also print the sentence of each run that migrated nothing
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findCorpusRepos, loadExpectation, projectRoot, runRepo, summarizeFindings, type RepoResult } from './migrate.js';

export function main(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: { only: { type: 'string', multiple: true }, keep: { type: 'string' }, json: { type: 'string' }, cli: { type: 'string' }, verbose: { type: 'boolean', short: 'v' } },
  });
  const repos = findCorpusRepos();
  if (!repos) {
    console.log('corpus: skipped, no ../shared/corpus/repos beside this checkout');
    return 0;
  }
  const cli = path.resolve(values.cli ?? path.join(projectRoot, 'dist', 'runner', 'cli.js'));
  if (!existsSync(cli)) {
    console.error(`corpus: no CLI at ${cli}: run npm run build first`);
    return 2;
  }
  const only = (values.only ?? []).flatMap((o) => o.split(',')).filter(Boolean);
  const names = readdirSync(repos, { withFileTypes: true })
    .filter((e) => e.isDirectory() && (only.length === 0 || only.some((o) => e.name.includes(o))))
    .map((e) => e.name)
    .sort();
  const results: RepoResult[] = [];
  const width = Math.max(...names.map((n) => n.length));
  for (const name of names) {
    const result = runRepo(name, path.join(repos, name), cli, loadExpectation(name), values.keep && path.resolve(values.keep));
    results.push(result);
    const findings = result.findings.length ? `  findings: ${summarizeFindings(result.findings)}` : '';
    const plan = result.plan?.kind ? ` plan=${result.plan.kind}${result.plan.refusal ? '(stopped)' : ''}` : '';
    console.log(`${name.padEnd(width)}  ${result.verdict.padEnd(8)}  changed=${result.changed} followUps=${result.followUps}${plan}${findings}`);
    if (result.plan?.refusal && values.verbose) console.log(`  ${result.plan.refusal}`);
  }
  const clean = results.filter((r) => r.verdict === 'clean').length;
  const total = results.reduce((n, r) => n + r.findings.length, 0);
  console.log(`corpus: ${clean}/${results.length} clean, ${total} findings`);
  if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2) + '\n');
  return total > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
