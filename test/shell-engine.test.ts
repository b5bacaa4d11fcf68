// Table-driven tests of the shell engine: each rewrite row, in each policy and nesting form.
import { describe, expect, it } from 'vitest';
import { maskGithubExpressions, maskMakefile, rewriteShell, type ShellOptions } from '../codemods/lib/shell/index.js';

const uvRun: ShellOptions = { policy: 'uv-run', host: 'script' };
const onPath: ShellOptions = { policy: 'venv-on-path', host: 'dockerfile' };

type Row = [input: string, expected: string];

function table(name: string, options: ShellOptions, rows: Row[]): void {
  describe(name, () => {
    for (const [input, expected] of rows) {
      it(JSON.stringify(input), () => {
        const result = rewriteShell(input, options);
        expect(result.text).toBe(expected);
        expect(result.changed).toBe(input !== expected);
        // idempotent: the output has nothing left to rewrite
        expect(rewriteShell(result.text, options).text).toBe(expected);
      });
    }
  });
}

table('activation, uv-run', uvRun, [
  ['conda activate geist\n', ''],
  ['conda activate geist && python app.py\n', 'uv run python app.py\n'],
  ['a && conda activate x && b\n', 'a && b\n'],
  ['mamba activate x; pytest -q\n', 'uv run pytest -q\n'],
  ['micromamba activate x\nuvicorn app:app --reload\n', 'uv run uvicorn app:app --reload\n'],
  ['source activate geist\npython -m geist\n', 'uv run python -m geist\n'],
  ['. activate geist\npython3 x.py\n', 'uv run python3 x.py\n'],
  ['source /opt/conda/bin/activate geist && alembic upgrade head\n', 'uv run alembic upgrade head\n'],
  ['conda activate x\npython a.py\nconda deactivate\npython b.py\n', 'uv run python a.py\npython b.py\n'],
  ['a; conda activate x; b\n', 'a; b\n'],
  ['a; conda activate x\n', 'a\n'],
  ['conda activate x || exit 1\npytest\n', 'uv run pytest\n'],
  ['echo start\n\nconda activate x\n\necho end\n', 'echo start\n\necho end\n'],
  ['echo é && conda activate x && python a.py\n', 'echo é && uv run python a.py\n'],
  ['ls\npython a.py\n', 'ls\npython a.py\n'],
  ['conda activate x\nexec gunicorn app:app\n', 'exec uv run gunicorn app:app\n'],
]);

table('activation, venv-on-path', onPath, [
  ['conda activate geist && python app.py', 'python app.py'],
  ['a && conda activate x && b', 'a && b'],
  ['source activate geist; pytest', 'pytest'],
]);

table('hooks removed', uvRun, [
  ['source "$(conda info --base)/etc/profile.d/conda.sh"\nconda activate x\n', ''],
  ['eval "$(conda shell.bash hook)"\n', ''],
  ['eval "$(micromamba shell hook --shell bash)"\nmicromamba activate x\n', ''],
  ['. /opt/conda/etc/profile.d/conda.sh && conda activate x && pytest\n', 'uv run pytest\n'],
  ['conda init bash\n', ''],
  ['micromamba shell init -s bash -r ~/micromamba\n', ''],
  ['conda config --add channels conda-forge\n', ''],
  ['conda tos accept --override-channels --channel https://repo.anaconda.com/pkgs/main\n', ''],
]);

table('env creation', uvRun, [
  ['conda env create -f environment.yml\n', 'uv sync\n'],
  ['conda env update -f environment.yml --prune\n', 'uv sync\n'],
  ['mamba env create -f env.yml && echo ok\n', 'uv sync && echo ok\n'],
  ['conda create -n x --file spec.txt\n', 'uv sync\n'],
  ['micromamba install -y -n base -f env.yml\n', 'uv sync\n'],
]);

table('env creation, docker', onPath, [
  ['conda env create -f environment.yml && conda clean -afy', 'uv sync --locked'],
  ['micromamba install -y -n base -f env.yml && micromamba clean --all --yes', 'uv sync --locked'],
]);

table('conda run, uv-run', uvRun, [
  ['conda run -n geist python app.py\n', 'uv run python app.py\n'],
  ['conda run -n geist --no-capture-output uvicorn app:app\n', 'uv run uvicorn app:app\n'],
  ['mamba run --live-stream -n geist pytest\n', 'uv run pytest\n'],
  ['micromamba run -p /opt/env python x.py\n', 'uv run python x.py\n'],
]);

table('conda run, venv-on-path', onPath, [
  ['conda run -n geist --no-capture-output uvicorn app:app', 'uvicorn app:app'],
  ['exec conda run -n geist python app.py', 'exec python app.py'],
]);

describe('nesting forms', () => {
  const rows: Row[] = [
    ['(conda activate x && pytest)\n', '(uv run pytest)\n'],
    ['{ conda activate x; pytest; }\n', '{ uv run pytest; }\n'],
    ['if [ -f env.yml ]; then conda env create -f env.yml; fi\n', 'if [ -f env.yml ]; then uv sync; fi\n'],
    ['if true; then conda activate x; fi\n', 'if true; then :; fi\n'],
    ['while true; do conda run -n x python a.py; done\n', 'while true; do uv run python a.py; done\n'],
    ['for f in a b; do conda run -n x python "$f"; done\n', 'for f in a b; do uv run python "$f"; done\n'],
    ['run() {\n  conda activate x\n  pytest\n}\n', 'run() {\n  uv run pytest\n}\n'],
    ['out=$(conda run -n x python -V)\n', 'out=$(uv run python -V)\n'],
    ['ls | conda run -n x python filter.py\n', 'ls | uv run python filter.py\n'],
    ['case $1 in test) conda run -n x pytest ;; esac\n', 'case $1 in test) uv run pytest ;; esac\n'],
  ];
  for (const [input, expected] of rows) {
    it(JSON.stringify(input), () => expect(rewriteShell(input, uvRun).text).toBe(expected));
  }
});

describe('bash -c', () => {
  it('single quotes', () => {
    expect(rewriteShell("bash -c 'conda activate x && pytest -q'\n", uvRun).text).toBe("bash -c 'uv run pytest -q'\n");
  });
  it('double quotes with escapes kept byte for byte', () => {
    expect(rewriteShell('sh -c "conda activate x && pytest \\"a b\\""\n', uvRun).text).toBe('sh -c "uv run pytest \\"a b\\""\n');
  });
  it('conda run bash -c: uv run once, the inner commands as they are', () => {
    expect(rewriteShell('conda run -n x bash -c "python a.py && pytest"\n', uvRun).text).toBe('uv run bash -c "python a.py && pytest"\n');
    expect(rewriteShell("conda run -n x bash -lc 'python a.py'", onPath).text).toBe("bash -lc 'python a.py'");
  });
});

describe('left alone, with notes', () => {
  it('heredoc bodies are not touched', () => {
    const text = 'cat <<EOF\nconda activate x\nEOF\n';
    expect(rewriteShell(text, uvRun)).toEqual({ text, changed: false, notes: [], activatedAfter: false });
  });
  it('a parse error gives a note and the text unchanged', () => {
    const text = 'conda activate x\nif then\n';
    const result = rewriteShell(text, uvRun);
    expect(result.text).toBe(text);
    expect(result.notes).toEqual([{ line: 2, col: 1, message: 'does not parse as shell ("if" must be followed by a statement list): left unchanged' }]);
  });
  it('unhandled conda commands become notes', () => {
    const result = rewriteShell('echo hi\nconda info --base\n', uvRun);
    expect(result.text).toBe('echo hi\nconda info --base\n');
    expect(result.notes).toEqual([{ line: 2, col: 1, message: '`conda info --base`: no uv equivalent; left as is' }]);
  });
});

describe('state', () => {
  it('activated: true starts inside the env', () => {
    expect(rewriteShell('pytest -q', { ...uvRun, activated: true }).text).toBe('uv run pytest -q');
  });
  it('activatedAfter', () => {
    expect(rewriteShell('conda activate x', uvRun).activatedAfter).toBe(true);
    expect(rewriteShell('conda activate x; conda deactivate', uvRun).activatedAfter).toBe(false);
  });
});

describe('masks keep offsets', () => {
  it('Makefile', () => {
    const recipe = '@$(CONDA) run -n $(ENV) python $$HOME/x.py $@';
    const masked = maskMakefile(recipe);
    expect(masked).toBe(' ${_____} run -n ${___} python \\$HOME/x.py $_');
    expect(masked.length).toBe(recipe.length);
    expect(rewriteShell('@conda run -n $(ENV) python $$HOME/x.py', { ...uvRun, host: 'makefile', mask: maskMakefile }).text).toBe('@uv run python $$HOME/x.py');
  });
  it('GitHub expressions', () => {
    expect(maskGithubExpressions('conda activate ${{ matrix.env }}')).toBe('conda activate ${______________}');
    expect(rewriteShell('conda activate ${{ matrix.env }} && pytest', { ...uvRun, host: 'ci', mask: maskGithubExpressions }).text).toBe('uv run pytest');
  });
});
