import { describe, expect, it } from 'vitest';
import { describeFixtures, transformText } from './harness.js';

describeFixtures('dependabot');

describe('dependabot', () => {
  const config = 'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /web\n    schedule:\n      interval: weekly\n';

  it('points the uv entry at the directory holding pyproject.toml', async () => {
    const { text } = await transformText('dependabot', '.github/dependabot.yml', config, {
      files: { 'backend/pyproject.toml': '' },
      context: { migrating: true },
    });
    expect(text).toBe(`${config}  - package-ecosystem: uv\n    directory: /backend\n    schedule:\n      interval: weekly\n`);
  });

  it('sees a uv entry that lists the directory under directories:', async () => {
    const source = 'version: 2\nupdates:\n  - package-ecosystem: uv\n    directories: ["/", "/tools"]\n    schedule:\n      interval: weekly\n';
    const { text } = await transformText('dependabot', '.github/dependabot.yml', source, { files: { 'tools/pyproject.toml': '' }, context: { migrating: true } });
    expect(text).toBe(source);
  });

  it('adds nothing without a pyproject.toml', async () => {
    const { text } = await transformText('dependabot', '.github/dependabot.yml', config, { context: { migrating: true } });
    expect(text).toBe(config);
  });

  it('reports an empty updates list instead of guessing a layout', async () => {
    const source = 'version: 2\nupdates: []\n';
    const { text, followUps } = await transformText('dependabot', '.github/dependabot.yml', source, {
      files: { 'pyproject.toml': '' },
      context: { migrating: true },
    });
    expect(text).toBe(source);
    expect(followUps.map((f) => f.message)).toEqual(['add a package-ecosystem "uv" entry for / by hand']);
  });
});
