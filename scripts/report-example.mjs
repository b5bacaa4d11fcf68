// Makes the README's example from a real run: a dry run on examples/geist-app writes its report to
// examples/geist-app.report.md, and the end of the run's text output replaces the block between the
// README's example-run markers. test/readme-example.test.ts checks both are current.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const REPORT = 'examples/geist-app.report.md';
const run = spawnSync(process.execPath, ['dist/runner/cli.js', 'all', '--dry-run', '--report', REPORT, 'examples/geist-app'], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
});
if (run.status !== 0) {
  process.stderr.write(`report:example: the run failed (exit ${run.status ?? run.signal})\n${run.stderr}`);
  process.exit(1);
}
// The end of a text run starts at its counts line ("16 files changed: ..."), after the diff.
const end = run.stdout.slice(run.stdout.search(/^\d+ files? changed: /m));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const block = /(<!-- example-run:start -->\n```text\n)[^]*?(```\n<!-- example-run:end -->)/;
if (!block.test(readme)) {
  process.stderr.write('report:example: README.md has no example-run block\n');
  process.exit(1);
}
writeFileSync(new URL('../README.md', import.meta.url), readme.replace(block, (_, open, close) => `${open}$ geist-codemods all --dry-run --report ${REPORT} examples/geist-app\n[... the diff ...]\n${end}${close}`));
process.stdout.write(`wrote ${REPORT} and the README's example run\n`);
