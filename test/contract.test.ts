// The codemod contract's per-run state: made once per run, the same object in the inventory, every
// transform and finish, and a new one for the next run; parseOnce parses a text once per run.
import { describe, expect, it } from 'vitest';
import { codemods } from '../codemods/index.js';
import { runPipeline } from '../runner/pipeline.js';
import type { Codemod } from '../contract/types.js';
import { MemoryFs } from '../runner/vfs.js';
import { runOptions } from './harness.js';

interface Seen {
  run: number;
  hooks: string[];
}

describe('per-run state', () => {
  it('one state per run, handed to every hook; one parse per text and run', async () => {
    let runs = 0;
    let parses = 0;
    const states: Seen[] = [];
    const probe: Codemod<Seen> = {
      name: 'probe',
      description: 'records what it is handed',
      files: ['*.txt'],
      createState: () => {
        const state = { run: ++runs, hooks: [] };
        states.push(state);
        return state;
      },
      inventory(api) {
        api.state.hooks.push('inventory');
        api.parseOnce('words', api.fs.read('a.txt')!, (t) => (parses++, t.split(' ')));
      },
      transform(file, api) {
        api.state.hooks.push(`transform ${file.path}`);
        api.parseOnce('words', file.source, (t) => (parses++, t.split(' ')));
        return null;
      },
      finish(api) {
        api.state.hooks.push('finish');
      },
    };
    const files = { 'a.txt': 'same text', 'b.txt': 'same text' };
    for (let i = 0; i < 2; i++) await runPipeline([probe], [probe], runOptions('/virtual'), { fs: MemoryFs.fromFiles(files), ctx: (ctx) => void (ctx.migrating = true) });
    expect(states).toEqual([
      { run: 1, hooks: ['inventory', 'transform a.txt', 'transform b.txt', 'finish'] },
      { run: 2, hooks: ['inventory', 'transform a.txt', 'transform b.txt', 'finish'] },
    ]);
    expect(parses).toBe(2); // once per run, though three hooks parsed the same text
  });
});

describe('only a migration points files at uv', () => {
  it('every codemod but the env codemod runs only when migrating, so an env that cannot be migrated leaves the rest alone', () => {
    expect(codemods.filter((c) => !c.onlyWhenMigrating).map((c) => c.name)).toEqual(['env-to-pyproject']);
  });
});
