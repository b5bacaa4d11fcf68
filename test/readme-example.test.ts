// The README's example run and the example report are made by `npm run report:example` from a real
// run: these tests fail when either is stale or was edited by hand.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './cli-helpers.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const EXAMPLE = path.join(ROOT, 'examples/geist-app');

describe("the README's example", () => {
  it('examples/geist-app.report.md is the report a dry run on the example writes', () => {
    const run = runCli(['all', '--dry-run', '--report', '-', EXAMPLE]);
    expect(run.code).toBe(0);
    expect(readFileSync(path.join(ROOT, 'examples/geist-app.report.md'), 'utf8')).toBe(run.stdout);
  });

  it("the README's example run is the end of that run's text (its time aside)", () => {
    // The same run, its report written elsewhere: the text names the file the README's run wrote.
    const report = path.join(tempDir(), 'geist-app.report.md');
    const run = runCli(['all', '--dry-run', '--report', report, 'examples/geist-app'], { cwd: ROOT });
    const end = run.stdout.slice(run.stdout.search(/^\d+ files? changed: /m)).replace(report, 'examples/geist-app.report.md');
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const block = /<!-- example-run:start -->\n```text\n[^\n]*\n\[\.\.\. the diff \.\.\.\]\n([^]*?)```\n<!-- example-run:end -->/.exec(readme)?.[1];
    const withoutTime = (text: string) => text.replace(/Done in [\d.]+ s\./, 'Done in … s.');
    expect(block).toBeDefined();
    expect(withoutTime(block!)).toBe(withoutTime(end));
  });
});
