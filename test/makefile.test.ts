import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONDA_WORD } from '../codemods/lib/conda/vocabulary.js';
import { findRefs, lexMakefile, referencedNames } from '../codemods/makefile/lexer.js';
import { CodemodError } from '../contract/errors.js';
import { codemods } from '../codemods/index.js';
import { runPipeline } from '../runner/pipeline.js';
import { MemoryFs } from '../runner/vfs.js';
import { codemodNamed, describeFixtures, dirCases, fileCases, FIXTURES, formatFollowUp, readTree, runOnFiles, runOptions, transformText } from './harness.js';

// The makefile codemod runs only in a repository being migrated (the env codemod decides): these cases
// stand for such a repository.
const MIGRATING = { context: { migrating: true } };

describeFixtures('makefile', MIGRATING);

/** Each logical line as `LINE kind: text` (with extras), for exact comparison. */
function summary(source: string): string[] {
  const make = lexMakefile(source);
  return make.lines.map((l) => {
    const text = source.slice(l.start, l.end).replaceAll('\n', '⏎');
    let extra = '';
    if (l.kind === 'assignment' || l.kind === 'define') {
      const a = l.assign;
      extra = ` [${[...a.modifiers, a.name, a.op].join(' ')}${a.targets ? ` for ${a.targets.join(',')}` : ''}] value=${JSON.stringify(source.slice(a.valueStart, a.valueEnd))}`;
    } else if (l.kind === 'rule') {
      extra = ` [${l.targets.join(',')}${l.doubleColon ? ' ::' : ''}]${l.inlineRecipe !== undefined ? ` recipe=${JSON.stringify(source.slice(l.inlineRecipe, l.end))}` : ''}`;
    } else if (l.kind === 'recipe') {
      extra = ` body=${JSON.stringify(source.slice(l.body, l.end))}`;
    } else if (l.kind === 'conditional') {
      extra = ` [${l.keyword}]`;
    }
    return `${l.line} ${l.kind}: ${text}${extra}`;
  });
}

describe('makefile lexer', () => {
  it('splits every construct into logical lines with exact offsets', () => {
    const source = [
      '# comment \\',
      '  continued comment',
      '.RECIPEPREFIX := >',
      'export CONDA_ENV ?= ds',
      'override PY::=python3',
      'LIST += a \\',
      '  b',
      'NOW != date # when',
      'private X :::= 1',
      'test: ENV = t',
      '%.o: %.c | build',
      '> cc -c $< -o $@ \\',
      '>   -O2',
      'all:: one ; echo $(CONDA_ENV) # inline',
      'ifeq ($(X),1)',
      '> echo yes',
      'else',
      '> echo no',
      'endif',
      'define BODY =',
      'conda env create',
      '  define INNER',
      '  endef',
      'endef',
      '-include local.mk',
      'unexport CONDA_ENV',
      '',
      'x := $(shell a:b)',
    ].join('\n');
    expect(summary(source)).toEqual([
      '1 comment: # comment \\⏎  continued comment',
      '3 assignment: .RECIPEPREFIX := > [.RECIPEPREFIX :=] value=">"',
      '4 assignment: export CONDA_ENV ?= ds [export CONDA_ENV ?=] value="ds"',
      '5 assignment: override PY::=python3 [override PY ::=] value="python3"',
      '6 assignment: LIST += a \\⏎  b [LIST +=] value="a \\\\\\n  b"',
      '8 assignment: NOW != date # when [NOW !=] value="date "',
      '9 assignment: private X :::= 1 [private X :::=] value="1"',
      '10 assignment: test: ENV = t [ENV = for test] value="t"',
      '11 rule: %.o: %.c | build [%.o]',
      '12 recipe: > cc -c $< -o $@ \\⏎>   -O2 body=" cc -c $< -o $@ \\\\\\n>   -O2"',
      '14 rule: all:: one ; echo $(CONDA_ENV) # inline [all ::] recipe=" echo $(CONDA_ENV) # inline"',
      '15 conditional: ifeq ($(X),1) [ifeq]',
      '16 recipe: > echo yes body=" echo yes"',
      '17 conditional: else [else]',
      '18 recipe: > echo no body=" echo no"',
      '19 conditional: endif [endif]',
      '20 define: define BODY =⏎conda env create⏎  define INNER⏎  endef⏎endef [BODY =] value="conda env create\\n  define INNER\\n  endef"',
      '25 include: -include local.mk',
      '26 export: unexport CONDA_ENV',
      '27 blank: ',
      '28 assignment: x := $(shell a:b) [x :=] value="$(shell a:b)"',
    ]);
    expect(lexMakefile(source).recipePrefix).toBe('>');
  });

  it('reads TAB recipes only inside a rule, and .ONESHELL', () => {
    const source = '.ONESHELL:\nall:\n\techo a\n\n\t# still recipe\nX = 1\n\tY = not a recipe\nb:\n\techo b\n$(info x)\n\t# not b\n';
    expect(summary(source).map((s) => s.split(':')[0])).toEqual([
      '1 rule',
      '2 rule',
      '3 recipe',
      '4 blank',
      '5 recipe',
      '6 assignment',
      '7 assignment',
      '8 rule',
      '9 recipe',
      '10 other',
      '11 comment',
    ]);
    expect(lexMakefile(source).oneShell).toBe(true);
  });

  it('keeps an empty define body and a missing final newline', () => {
    expect(summary('define E\nendef')).toEqual(['1 define: define E⏎endef [E =] value=""']);
    expect(summary('a:\n\tls')).toEqual(['1 rule: a: [a]', '2 recipe: \tls body="ls"']);
  });

  it('reports an unterminated define or conditional with its line', () => {
    expect(() => lexMakefile('x:\n\ttrue\ndefine A\nfoo\n')).toThrow(new CodemodError('define A has no endef', 3, 1));
    // GNU make: "recipe commences before first target" once an assignment has closed the rule.
    expect(() => lexMakefile('test:\n\techo one\nX = 1\n\techo two\n')).toThrow(
      new CodemodError('recipe commences before first target (a recipe line outside any rule)', 4, 1),
    );
    const error = (() => {
      try {
        lexMakefile('a = 1\nifdef A\nb = 2\n');
      } catch (e) {
        return e as CodemodError;
      }
    })();
    expect([error?.message, error?.line]).toEqual(['conditional without endif', 2]);
    expect(() => lexMakefile('endif\n')).toThrow('endif without a matching if');
  });
});

describe('make references', () => {
  it('finds plain references, function calls, $$ and automatic variables', () => {
    const text = 'a $(X) ${Y} $$HOME $@ $(shell conda info --base) $(Z:.c=.o) $(call f,$(W))';
    expect(findRefs(text).map((r) => [text.slice(r.start, r.end), r.name ?? r.fn])).toEqual([
      ['$(X)', 'X'],
      ['${Y}', 'Y'],
      ['$$', '$'],
      ['$@', '@'],
      ['$(shell conda info --base)', 'shell'],
      ['$(Z:.c=.o)', 'Z'],
      ['$(call f,$(W))', 'call'],
    ]);
    expect([...referencedNames(text)].sort()).toEqual(['@', 'W', 'X', 'Y', 'Z', 'f']);
  });
});

// `make -n` on a fixture's input and output: the same targets exist, every target still expands, no
// output recipe mentions conda (help text aside: it is a follow-up), and the expansions are as promised.
function makeTargets(dir: string, file: string): string[] {
  const db = make(dir, file, ['-pRrq', ':']).stdout.split('\n');
  const targets = new Set<string>();
  for (let i = 0; i < db.length; i++) {
    const match = /^([^\s#%:=.][^\s:=]*)::?(?:\s|$)/.exec(db[i]!);
    if (match && db[i - 1] !== '# Not a target:') targets.add(match[1]!);
  }
  return [...targets].sort();
}

function make(dir: string, file: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'C' };
  const result = spawnSync('make', ['--no-print-directory', '-f', file, ...args], { cwd: dir, env, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The Geist Makefile after the shell-scripts codemod renamed conda-install.sh (as in a full run). */
async function geistAfterRename(): Promise<string> {
  const c = fileCases('makefile').find((f) => f.name === 'geist')!;
  const fs = MemoryFs.fromFiles({ Makefile: readFileSync(c.input, 'utf8'), 'conda-install.sh': '#!/bin/bash\nconda env create -f environment.yml\n' });
  fs.rename('conda-install.sh', 'uv-install.sh');
  const result = await runPipeline([codemodNamed('makefile')], codemods, runOptions('/virtual'), { fs, ctx: (ctx) => void (ctx.migrating = true) });
  return result.fs.written('Makefile')!;
}

/** A fixture case written to a temporary directory (its extra files too), as input or output. */
async function caseDir(name: string, side: 'input' | 'output'): Promise<{ dir: string; file: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `geist-make-${side}-`));
  const c = fileCases('makefile').find((f) => f.name === name);
  if (!c) {
    cpSync(path.join(FIXTURES, 'makefile', name, side), dir, { recursive: true }); // a directory case
    return { dir, file: 'Makefile' };
  }
  const file = c.options.path ?? `${name}.${c.ext}`;
  const text = side === 'input' ? readFileSync(c.input, 'utf8') : name === 'geist' ? await geistAfterRename() : readFileSync(c.output, 'utf8');
  for (const [rel, content] of Object.entries({ ...c.options.files, [file]: text })) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return { dir, file };
}

/** Exact `make -n` output of the migrated fixture, per invocation (`target` or `target VAR=value`). */
const EXPANSIONS: Record<string, Record<string, string>> = {
  'run-prefix': {
    test: 'uv run pytest -q tests   # unit tests\n',
    train: 'uv run python train.py --data data/raw.csv\n',
  },
  geist: {
    install: './uv-install.sh\n',
    server: 'uv run python bootstrap.py\n',
    run: 'uv run python bootstrap.py --reload\n',
    'run MLX_BACKEND=1': 'MLX=1 uv run python bootstrap.py --reload\n',
    debug: 'uv run python -m debugpy --listen 5678 bootstrap.py\n',
    'debug MLX_BACKEND=1': 'MLX=1 uv run python -m debugpy --listen 5678 bootstrap.py\n',
    test: 'uv run pytest -q backend/tests\n',
    migrate: 'uv run alembic upgrade head\n',
    'export-env': 'uv lock\n',
    frontend: 'cd frontend && npm run build\n',
  },
  'data-science': {
    env: 'uv sync\nuv sync\n',
    'update-env': 'uv sync\n',
    'export-env': 'uv lock\n',
    'remove-env': 'rm -rf .venv\n',
    test: 'uv run pytest -q tests\n',
    lint: 'uv run ruff check src tests\nuv run mypy src/churn\n',
    train: 'uv run python -m churn.train --data data/processed/train.csv --out models/\n',
  },
  'activate-argument': {
    serve: 'uv run python -m http.server ${PORT:-8000}\n',
    check: "uv run python -c 'import geist'\n",
  },
  oneshell: {
    docs: 'cd docs\nuv run sphinx-build -b html . _build\n',
    version: 'python3 --version\n',
  },
  'include-conda-mk': {
    test: 'uv run pytest -q\n',
    lint: 'uv run ruff check .\n',
  },
  'define-blocks': {
    env: 'uv sync\nuv run python -m ipykernel install --user --name research\n',
    notebook: 'uv run jupyter lab --no-browser\n',
    report: 'mkdir -p reports\nuv run python scripts/report.py results/metrics.json > reports/summary.md\n',
    test: 'uv run pytest -q tests\n',
  },
};

/** `make -n` lines of a migrated fixture that may still mention conda: commands with no uv rule (each a follow-up). */
const LEFTOVERS: Record<string, string[]> = {
  'activate-argument': ['conda build recipe/'],
};

describe('geist Makefile in a full run', () => {
  it('calls the renamed install script', async () => {
    const expected = readFileSync(path.join(FIXTURES, 'makefile/geist.output.mk'), 'utf8').replace('./conda-install.sh', './uv-install.sh');
    expect(await geistAfterRename()).toBe(expected);
  });
});

describe('the example project', () => {
  it('examples/geist-app: every codemod in order, the Makefile comes out as the Geist fixture promises', async () => {
    const root = path.resolve(import.meta.dirname, '../examples/geist-app');
    const files: Record<string, string> = {};
    for (const [rel, file] of readTree(root)) files[rel] = file.bytes.toString('utf8');
    const result = await runPipeline(codemods, codemods, runOptions('/virtual'), { fs: MemoryFs.fromFiles(files) });
    expect(result.files.filter((f) => f.status === 'error')).toEqual([]);
    const expected = readFileSync(path.join(FIXTURES, 'makefile/geist.output.mk'), 'utf8')
      .replace('./conda-install.sh', './uv-install.sh')
      .replace(/\.PHONY: debug\n[^]*?endif\n\n/, ''); // the fixture adds Geist's debug target
    expect(result.fs.written('Makefile')).toBe(expected);
    expect(result.followUps.filter((f) => f.path === 'Makefile')).toEqual([]);
  });
});

describe('make -n on every fixture', () => {
  const names = [...fileCases('makefile').map((c) => c.name), ...dirCases('makefile').map((d) => path.basename(d))];
  for (const c of names.map((name) => ({ name }))) {
    it(`${c.name}: same targets, all expand, no conda in the output's recipes`, async () => {
      const input = await caseDir(c.name, 'input');
      const output = await caseDir(c.name, 'output');
      try {
        const targets = makeTargets(input.dir, input.file);
        expect(targets.length).toBeGreaterThan(0);
        expect(makeTargets(output.dir, output.file)).toEqual(targets);
        const expected = EXPANSIONS[c.name] ?? {};
        const invocations = [...new Set([...targets, ...Object.keys(expected)])];
        for (const invocation of invocations) {
          const args = invocation.split(' ');
          const before = make(input.dir, input.file, ['-n', ...args]);
          expect(before.status, `input: make -n ${invocation}: ${before.stderr}`).toBe(0);
          const after = make(output.dir, output.file, ['-n', ...args]);
          expect(after.status, `output: make -n ${invocation}: ${after.stderr}`).toBe(0);
          const condaLines = after.stdout
            .split('\n')
            .filter((l) => CONDA_WORD.test(l) && !/^\s*(?:echo|printf)\b/.test(l) && !(LEFTOVERS[c.name] ?? []).includes(l));
          expect(condaLines, `make -n ${invocation}`).toEqual([]);
          if (invocation in expected) expect(after.stdout, `make -n ${invocation}`).toBe(expected[invocation]);
        }
        expect(Object.keys(expected).every((k) => invocations.includes(k))).toBe(true);
      } finally {
        rmSync(input.dir, { recursive: true, force: true });
        rmSync(output.dir, { recursive: true, force: true });
      }
    });
  }
});

describe('makefile codemod', () => {
  const run = (source: string, filePath = 'Makefile') => transformText('makefile', filePath, source, MIGRATING);

  it('leaves a venv Makefile alone', async () => {
    const source = 'ACTIVATE = . .venv/bin/activate\n\ntest:\n\t$(ACTIVATE) && pytest\n';
    expect((await run(source)).text).toBe(source);
  });

  it('an activation that ran a command uv run does not cover becomes the venv\'s (`.` for sh, `source` for bash)', async () => {
    const source = 'SHELL=/bin/bash\nACTIVATE=source activate geist\n\ndocs:\n\t$(ACTIVATE) && jupyter-book build docs\nkernel:\n\t$(ACTIVATE) && python -m ipykernel install --user\n';
    expect((await run(source)).text).toBe('SHELL=/bin/bash\n\ndocs:\n\tsource .venv/bin/activate && jupyter-book build docs\nkernel:\n\tuv run python -m ipykernel install --user\n');
    const sh = 'html:\n\tconda activate geist && make -C docs html\n';
    expect((await run(sh)).text).toBe('html:\n\t. .venv/bin/activate && make -C docs html\n');
  });

  it('removes a recipe line that only activated, and the glue of a trailing activation', async () => {
    const source = 'A = conda activate geist\n\nx:\n\t@$(A)\n\techo done\n\ty && $(A)\n';
    expect((await run(source)).text).toBe('x:\n\techo done\n\ty\n');
  });

  it('keeps CRLF line ends and untouched bytes', async () => {
    const source = 'CONDA_RUN = conda run -n geist\r\n\r\n# tests\r\ntest:\r\n\t$(CONDA_RUN)   pytest\t-q\r\n';
    // The removed definition takes the blank line after it (nothing above it); the engine's splice ends at pytest.
    expect((await run(source)).text).toBe('# tests\r\ntest:\r\n\tuv run pytest\t-q\r\n');
  });

  it('rewrites a continued recipe and restores the TAB on its continuation lines', async () => {
    const source = 'x:\n\tconda env create -f environment.yml && \\\n\t  conda run -n geist \\\n\t    pytest -q\n';
    expect((await run(source)).text).toBe('x:\n\tuv sync && \\\n\t  uv run \\\n\t    pytest -q\n');
  });

  it('keeps $$ and make references exact around a rewritten command, and doubles a $ the engine writes', async () => {
    const source = 'x:\n\tconda run -n geist python $@ $${HOME} $(word 2,$^) && echo $$CONDA_PREFIX\n';
    const { text } = await run(source);
    expect(text).toBe('x:\n\tuv run python $@ $${HOME} $(word 2,$^) && echo $$VIRTUAL_ENV\n');
  });

  it('keeps exported variables the rewrite left unused, but not conda ones', async () => {
    const source = 'export ENV_FILE = environment.yml\nexport CONDA_ENV = geist\n\nenv:\n\tconda env create -n $(CONDA_ENV) -f $(ENV_FILE)\n';
    expect((await run(source)).text).toBe('export ENV_FILE = environment.yml\n\nenv:\n\tuv sync\n');
  });

  it('reports an unterminated define at its line and leaves the file untouched', async () => {
    const result = await runOnFiles('makefile', { Makefile: 'x:\n\tconda env create\ndefine SETUP\nconda activate x\n' }, MIGRATING);
    expect(result.files).toEqual([{ path: 'Makefile', codemod: 'makefile', status: 'error', message: 'Makefile:3:1: define SETUP has no endef' }]);
    expect(result.changes).toEqual([]);
  });

  it('rewrites the shell make runs itself: $(shell ...) in definitions and conditionals, and != values', async () => {
    const source = [
      'ENV = geist',
      "PY := $(shell conda run -n $(ENV) python -c 'import sys; print(sys.version_info[1])')",
      'TORCH != conda run -n $(ENV) python -c "import torch"',
      'BASE := $(shell conda info --base)',
      'ifeq ($(shell conda env list | grep -c $(ENV)),0)',
      'endif',
      'info:',
      '\t@echo $(PY) $(TORCH) $(BASE)',
      '',
    ].join('\n');
    const { text, followUps } = await run(source);
    expect(text).toBe(
      source
        .replace("$(shell conda run -n $(ENV) python -c 'import", "$(shell uv run python -c 'import")
        .replace('!= conda run -n $(ENV) python', '!= uv run python'),
    );
    expect(followUps.map(formatFollowUp)).toEqual(['5: `conda env list`: no uv equivalent; left as is']);
  });

  it('drops login-shell flags that only served conda activation', async () => {
    const source = 'SHELL := /bin/bash --login\n.SHELLFLAGS := -eu -o pipefail -lc\n\nx:\n\tconda activate geist && pytest\n';
    const { text, result } = await run(source);
    expect(text).toBe('SHELL := /bin/bash\n.SHELLFLAGS := -eu -o pipefail -c\n\nx:\n\tuv run pytest\n');
    expect(result.decisions.map((d) => d.message)).toEqual([
      'SHELL: dropped the login-shell flag, which only served conda activation',
      '.SHELLFLAGS: dropped the login-shell flag, which only served conda activation',
    ]);
    const other = 'SHELL := /bin/bash -l\n\nx:\n\tconda env update --prune\n';
    expect((await run(other)).text).toBe('SHELL := /bin/bash -l\n\nx:\n\tuv sync\n');
  });

  it('help text: a quoted command that was rewritten follows it, other conda mentions are follow-ups', async () => {
    const source = 'help:\n\t@echo "make env: conda env create -f environment.yml"\n\t@echo "  uses conda"\n\techo $$CONDA_PREFIX && ls\nenv:\n\tconda env create -f environment.yml\n';
    const { text, followUps } = await run(source);
    expect(text).toBe('help:\n\t@echo "make env: uv sync"\n\t@echo "  uses conda"\n\techo $$VIRTUAL_ENV && ls\nenv:\n\tuv sync\n');
    expect(followUps.map(formatFollowUp)).toEqual(['3: help text mentions conda: update it by hand']);
  });

  it('PYTHON used both inside and outside the env: the activated uses get uv run, the definition stays', async () => {
    const source = 'ACT = conda activate geist\nPYTHON = python3\n\nserve:\n\t$(ACT) && $(PYTHON) app.py\n\tpip install -e .\ndev:\n\t$(ACT) && pip install -e .\nsys:\n\t$(PYTHON) --version\n';
    expect((await run(source)).text).toBe('PYTHON = python3\n\nserve:\n\tuv run python3 app.py\n\tpip install -e .\ndev:\n\tuv sync\nsys:\n\t$(PYTHON) --version\n');
  });

  it('rewrites an inline `target: ; recipe` and leaves a deactivation macro to the follow-ups', async () => {
    const source = 'RUN = conda run -n geist\nOFF = conda deactivate\n\ntest: ; $(RUN) pytest\nend:\n\tpytest; $(OFF)\n';
    expect((await run(source)).text).toBe('OFF = conda deactivate\n\ntest: ; uv run pytest\nend:\n\tpytest; $(OFF)\n');
  });

  it('puts an engine note on the line of the original recipe, after an activation that took a continuation', async () => {
    const source = 'ACT = conda activate geist\n\nx:\n\t$(ACT) && \\\n\t  pytest && \\\n\t  conda build .\n';
    const { text, followUps } = await run(source);
    expect(text).toBe('x:\n\tuv run pytest && \\\n\t  conda build .\n');
    expect(followUps.map(formatFollowUp)).toEqual(['6: `conda build .`: no uv rule for this conda command; left as is']);
  });

  it('leaves the macros of an env the migration keeps on conda (an R env)', async () => {
    const source = 'PY_ACT = conda activate geist\nR_ACT = conda activate geist-r\nR_RUN = conda run -n geist-r\n\nx:\n\t$(PY_ACT) && pytest\n\t$(R_ACT) && Rscript a.R\n\t$(R_RUN) Rscript b.R\n';
    const context = { migrating: true, conda: { envFiles: [{ path: 'r.yml', name: 'geist-r', role: 'unmigratable', migrated: false }] } };
    const { text } = await transformText('makefile', 'Makefile', source, { context });
    expect(text).toBe('R_ACT = conda activate geist-r\nR_RUN = conda run -n geist-r\n\nx:\n\tuv run pytest\n\t$(R_ACT) && Rscript a.R\n\t$(R_RUN) Rscript b.R\n');
  });

  it('removes guards that require an active conda env, keeps other conditionals', async () => {
    const source = [
      'ifndef CONDA_PREFIX',
      '$(error activate the conda env first)',
      'endif',
      '',
      'check:',
      'ifneq ($(CONDA_DEFAULT_ENV),geist)',
      '\t@echo "run: conda activate geist"; exit 1',
      'endif',
      '',
      'ifeq ($(CONDA_DEFAULT_ENV),geist)',
      'MODE = conda',
      'endif',
      'test:',
      '\tconda run -n geist pytest',
      '',
    ].join('\n');
    const { text, result } = await run(source);
    expect(text).toBe('check:\n\nifeq ($(CONDA_DEFAULT_ENV),geist)\nMODE = conda\nendif\ntest:\n\tuv run pytest\n');
    expect(result.decisions.map((d) => d.message)).toEqual([
      'removed the guard at line 1 that required an active conda env: uv run needs none',
      'removed the guard at line 6 that required an active conda env: uv run needs none',
    ]);
  });

  it('finds every Makefile name', async () => {
    const source = 'x:\n\tconda env update --prune\n';
    for (const name of ['Makefile', 'makefile', 'GNUmakefile', 'mk/conda.mk', 'sub/Makefile']) {
      expect((await run(source, name)).text, name).toBe('x:\n\tuv sync\n');
    }
  });
});

describe('makefile properties', () => {
  // Makefiles assembled from the constructs the lexer knows, conda-shaped or not.
  const lineArb = fc.constantFrom(
    '# a comment',
    '',
    'CONDA_ENV = geist',
    'ACT = source $$(conda info --base)/etc/profile.d/conda.sh && conda activate $(CONDA_ENV)',
    'RUN := conda run -n $(CONDA_ENV) --no-capture-output',
    'PYTHON ?= python',
    'export OUT = build',
    'LIST += a \\\n  b',
    'test:',
    'all: test ; echo $(OUT)',
    '%.o: %.c | dir',
    '\t$(ACT) && $(PYTHON) app.py',
    '\t$(RUN) pytest -q \\\n\t  tests',
    '\t@echo "conda env create -f environment.yml"',
    '\tconda env create -f environment.yml',
    '\tcd src && $(MAKE) -C lib',
    'ifeq ($(OUT),build)',
    'else',
    'endif',
    'define BODY\nconda env update --prune\nendef',
    '-include local.mk',
  );
  const makefileArb = fc.array(lineArb, { maxLength: 14 }).map((lines) => {
    // Keep conditionals balanced and recipe lines inside rules so every generated file is valid make.
    let open = 0;
    let inRule = false;
    const kept = lines.filter((l) => {
      if (l.startsWith('\t')) return inRule;
      if (/^[\w%]+:(?!=)/.test(l)) inRule = true;
      else if (l !== '' && !l.startsWith('#') && !/^(?:ifeq|else|endif)/.test(l)) inRule = false;
      if (l.startsWith('ifeq')) open++;
      else if (l === 'else' || l === 'endif') {
        if (open === 0) return false;
        if (l === 'endif') open--;
      }
      return true;
    });
    return [...kept, ...Array<string>(open).fill('endif')].join('\n') + '\n';
  });

  it('logical lines tile the file: in order, no overlap, nothing but newlines between them', () => {
    fc.assert(
      fc.property(makefileArb, (source) => {
        let at = 0;
        for (const l of lexMakefile(source).lines) {
          expect(source.slice(at, l.start)).toMatch(/^\n?$/);
          expect(l.end).toBeGreaterThanOrEqual(l.start);
          at = l.end;
        }
        expect(source.slice(at)).toMatch(/^\n?$/);
      }),
      { numRuns: 300 },
    );
  });

  it('the codemod is idempotent and keeps every target', async () => {
    await fc.assert(
      fc.asyncProperty(makefileArb, async (source) => {
        const first = (await transformText('makefile', 'Makefile', source, MIGRATING)).text ?? source;
        const targets = (text: string) => lexMakefile(text).lines.flatMap((l) => (l.kind === 'rule' ? l.targets : []));
        expect(targets(first)).toEqual(targets(source));
        expect((await transformText('makefile', 'Makefile', first, MIGRATING)).text ?? first).toBe(first);
      }),
      { numRuns: 40 },
    );
  });
});
