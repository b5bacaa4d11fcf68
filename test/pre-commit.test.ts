import { describe, expect, it } from 'vitest';
import { describeFixtures, transformText } from './harness.js';

describeFixtures('pre-commit');

describe('pre-commit', () => {
  it('leaves a config alone when the repository is not being migrated', async () => {
    const source = 'repos:\n  - repo: local\n    hooks:\n      - id: x\n        entry: x\n        language: conda\n';
    const { text } = await transformText('pre-commit', '.pre-commit-config.yaml', source);
    expect(text).toBe(source);
  });

  it('reports a flow-style repos list instead of rewriting it', async () => {
    const source = 'repos: []\n';
    const { text, followUps } = await transformText('pre-commit', '.pre-commit-config.yaml', source, { context: { migrating: true } });
    expect(text).toBe(source);
    expect(followUps.map((f) => f.message)).toEqual(['add the https://github.com/astral-sh/uv-pre-commit repo with its uv-lock hook (rev 0.12.5) by hand']);
  });

  it('reports a YAML error at its line and column', async () => {
    await expect(transformText('pre-commit', '.pre-commit-config.yaml', 'repos:\n  - repo: [unclosed\n', { context: { migrating: true } })).rejects.toThrow(
      /^\.pre-commit-config\.yaml:\d+:\d+: invalid YAML/,
    );
  });
});
