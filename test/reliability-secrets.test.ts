// Credentials in URLs reach neither printed output nor the report; pyproject.toml keeps what the env
// file had, and a follow-up says so.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo, runCli, tempDir } from './cli-helpers.js';
import { redactSecrets } from '../runner/secrets.js';

describe('redactSecrets', () => {
  const cases: [string, string][] = [
    ['git+https://user:TOKEN123@host.example/org/repo.git', 'git+https://user:***@host.example/org/repo.git'],
    ['--index-url https://alice:p%40ss@pypi.example.com/simple', '--index-url https://alice:***@pypi.example.com/simple'],
    ['https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/r', 'https://***@github.com/o/r'],
    ['https://glpat-XXXXXXXXXXXXXXXXXXXX@gitlab.com/o/r.git', 'https://***@gitlab.com/o/r.git'],
    ['https://x.example/pkg.whl?token=abc123&v=1', 'https://x.example/pkg.whl?token=***&v=1'],
    ['https://x.example/f?v=1&private_token=abc', 'https://x.example/f?v=1&private_token=***'],
    ['https://blob.example/f?sv=1&sig=a%2Bb', 'https://blob.example/f?sv=1&sig=***'],
    ['"https://u:pw@h/x"', '"https://u:***@h/x"'],
    ['see (https://h/x?api_key=k1)', 'see (https://h/x?api_key=***)'],
  ];
  for (const [input, expected] of cases) it(`${input} -> ${expected}`, () => expect(redactSecrets(input)).toBe(expected));

  const kept = [
    'ssh://git@github.com/org/repo.git',
    'git+ssh://git@gitlab.example.com/org/repo.git',
    'https://${GITHUB_TOKEN}@github.com/org/repo.git',
    'https://user:${PASSWORD}@pypi.example.com/simple',
    'https://user:$PASSWORD@pypi.example.com/simple',
    'https://pypi.org/simple',
    'mail me at someone@example.com',
    'https://h/x?version=2&page=3',
    'numpy==1.26.4',
  ];
  for (const text of kept) it(`keeps ${text}`, () => expect(redactSecrets(text)).toBe(text));

  it('redacts every URL on a line and across lines', () => {
    expect(redactSecrets('a https://u:p@h1/ b https://u2:p2@h2/\nc https://h3/?token=t')).toBe('a https://u:***@h1/ b https://u2:***@h2/\nc https://h3/?token=***');
  });
});

describe('credentials through the CLI', () => {
  const PASSWORD = 'S3cretPassw0rd';
  const TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
  const QUERY = 'qtok987654321';
  const ENV = `name: app\ndependencies:\n  - python=3.11\n  - pip\n  - pip:\n    - --extra-index-url https://alice:${PASSWORD}@pypi.example.com/simple\n    - git+https://${TOKEN}@github.com/org/private.git\n    - https://files.example.com/private_pkg-1.0.tar.gz?token=${QUERY}#egg=private-pkg\n`;
  const secrets = [PASSWORD, TOKEN, QUERY];

  it('the report, --json, --dry diffs and the text summary hold no credential', () => {
    const dir = makeRepo({ 'environment.yml': ENV });
    const report = path.join(tempDir(), 'report.md');
    const outputs = [
      runCli(['all', '--dry', dir]),
      runCli(['all', '--dry', '--json', dir]),
      runCli(['all', '--dry', '--report', report, dir]),
    ];
    const texts = [...outputs.flatMap((r) => [r.stdout, r.stderr]), readFileSync(report, 'utf8')];
    for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
    expect(outputs[0]!.stdout).toContain('https://alice:***@pypi.example.com/simple'); // the diff still shows the URL
  });

  it('pyproject.toml keeps the credentials the env file had, with a follow-up on each of their lines', () => {
    const dir = makeRepo({ 'environment.yml': ENV });
    const r = runCli(['all', '--json', dir]);
    expect(r.code, r.stderr).toBe(0);
    const pyproject = readFileSync(path.join(dir, 'pyproject.toml'), 'utf8');
    for (const secret of secrets) expect(pyproject).toContain(secret);
    const lines = pyproject.split('\n');
    const holding = lines.flatMap((line, i) => (secrets.some((s) => line.includes(s)) ? [i + 1] : []));
    // One follow-up for the file, with every line holding a credential.
    const followUps = (JSON.parse(r.stdout) as { followUps: { path: string; line: number; lines?: number[]; message: string }[] }).followUps
      .filter((f) => f.path === 'pyproject.toml' && f.message.includes('credential'))
      .flatMap((f) => f.lines ?? [f.line]);
    expect(followUps).toEqual(holding);
    expect(holding.length).toBeGreaterThanOrEqual(3);
  });
});
