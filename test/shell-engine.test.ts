// Table-driven tests of the shell engine: each rewrite row, in each policy and nesting form.
import { describe, expect, it } from 'vitest';
import { HOSTS, maskGithubExpressions, maskMakefile, rewriteShell, type ShellNote, type ShellOptions } from '../codemods/lib/shell/index.js';
import { emptyContext } from '../contract/context.js';

const uvRun: ShellOptions = { host: HOSTS.script };
const onPath: ShellOptions = { host: HOSTS.dockerfile };

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
  ['conda activate x\npython3.11 -m http.server\n', 'uv run python3.11 -m http.server\n'],
  ['conda activate x\nenv CUDA_VISIBLE_DEVICES=0 python train.py\n', 'env CUDA_VISIBLE_DEVICES=0 uv run python train.py\n'],
  ['conda activate x\nDEBUG=1 nohup python worker.py > log 2>&1 &\n', 'DEBUG=1 nohup uv run python worker.py > log 2>&1 &\n'],
  ['conda activate x\ntime pytest\n', 'time uv run pytest\n'],
  ['conda activate x\n./manage.py migrate && make docs\n', './manage.py migrate && make docs\n'],
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
    ['if true; then conda activate x; fi\n', ''],
    ['if [ -d x ]; then conda activate x; else echo no; fi\n', 'if [ -d x ]; then :; else echo no; fi\n'],
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
  it('a login shell that only served activation is dropped', () => {
    expect(rewriteShell('bash -lc "conda activate geist && python app.py"', onPath).text).toBe('bash -c "python app.py"');
    expect(rewriteShell("bash --login -c 'source activate geist; pytest'", uvRun).text).toBe("bash -c 'uv run pytest'");
    expect(rewriteShell("bash -l -c 'conda activate geist && conda build .'", uvRun).text).toBe("bash -l -c 'conda build .'");
    expect(rewriteShell("bash -lc 'make test'", uvRun).text).toBe("bash -lc 'make test'");
  });
  it('double quotes with expansions', () => {
    expect(rewriteShell('bash -c "conda activate $ENV && python \\"$SCRIPT\\" $(date +%s)"\n', uvRun).text).toBe('bash -c "uv run python \\"$SCRIPT\\" $(date +%s)"\n');
  });
  it('a string in pieces is left, with a note', () => {
    const text = "bash -c 'conda activate x && '\"$CMD\"\n";
    expect(rewriteShell(text, uvRun)).toEqual({
      text,
      changed: false,
      notes: [{ line: 1, col: 9, message: 'a conda command in a shell string that is not one quoted word: left as is' }],
      activatedAfter: false,
    });
  });
  it('conda run bash -c: uv run once, the inner commands as they are', () => {
    expect(rewriteShell('conda run -n x bash -c "python a.py && pytest"\n', uvRun).text).toBe('uv run bash -c "python a.py && pytest"\n');
    expect(rewriteShell("conda run -n x bash -lc 'python a.py'", onPath).text).toBe("bash -lc 'python a.py'");
  });
});

describe('left alone, with notes', () => {
  it('heredoc bodies are not touched', () => {
    const text = 'cat <<EOF\nconda activate x\nEOF\nbash <<-EOF\n\tconda activate x\nEOF\n';
    expect(rewriteShell(text, uvRun)).toEqual({
      text,
      changed: false,
      notes: [
        { line: 2, col: 1, message: 'a heredoc mentions conda: left as is (heredoc bodies are not rewritten)' },
        { line: 5, col: 1, message: 'a heredoc mentions conda: left as is (heredoc bodies are not rewritten)' },
      ],
      activatedAfter: false,
    });
  });
  it('a parse error gives a note and the text unchanged', () => {
    const text = 'conda activate x\nif then\n';
    const result = rewriteShell(text, uvRun);
    expect(result.text).toBe(text);
    expect(result.notes).toEqual([{ line: 2, col: 1, message: 'does not parse as shell ("if" must be followed by a statement list): left unchanged' }]);
  });
  it('a conda run option uv run has no counterpart for is dropped with a note', () => {
    const result = rewriteShell('conda run --cwd src -n app python x.py\n', uvRun);
    expect(result.text).toBe('uv run python x.py\n');
    expect(result.notes).toEqual([{ line: 1, col: 1, message: '`conda run --cwd`: uv run has no such option, so it was dropped: check the command still runs where and how it did' }]);
    expect(rewriteShell('conda run -n app --no-capture-output python x.py\n', uvRun).notes).toEqual([]);
  });
  it('unhandled conda commands become notes', () => {
    const result = rewriteShell('echo hi\nconda info --base\n', uvRun);
    expect(result.text).toBe('echo hi\nconda info --base\n');
    expect(result.notes).toEqual([{ line: 2, col: 1, message: '`conda info --base`: no uv equivalent; left as is' }]);
  });
});

describe('live variables: a conda variable goes only when nothing left reads it', () => {
  const script = (tail: string) => `CONDA_BASE=$(conda info --base)\nsource "$CONDA_BASE/etc/profile.d/conda.sh"\nconda activate app\npython run.py\n${tail}`;
  it('read only by the activation: it goes with it', () => {
    expect(rewriteShell(script(''), uvRun).text).toBe('uv run python run.py\n');
  });
  it('read by a line that stays: the assignment stays too', () => {
    expect(rewriteShell(script('echo "conda lives in $CONDA_BASE"\n'), uvRun).text).toBe('CONDA_BASE=$(conda info --base)\nuv run python run.py\necho "conda lives in $CONDA_BASE"\n');
    expect(rewriteShell('export MAMBA_ROOT_PREFIX=/opt/mamba\nconda activate app\nls ${MAMBA_ROOT_PREFIX}/pkgs\n', uvRun).text).toBe('export MAMBA_ROOT_PREFIX=/opt/mamba\nls ${MAMBA_ROOT_PREFIX}/pkgs\n');
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
    expect(rewriteShell('@conda run -n $(ENV) python $$HOME/x.py', { host: HOSTS.makefile, mask: maskMakefile }).text).toBe('@uv run python $$HOME/x.py');
  });
  it('GitHub expressions', () => {
    expect(maskGithubExpressions('conda activate ${{ matrix.env }}')).toBe('conda activate ${______________}');
    expect(rewriteShell('conda activate ${{ matrix.env }} && pytest', { host: HOSTS.ci, mask: maskGithubExpressions }).text).toBe('uv run pytest');
  });
});

describe('line continuations', () => {
  it('conda run over two lines keeps the command on its own line', () => {
    const text = 'exec conda run -n x --no-capture-output \\\n    gunicorn app:app\n';
    expect(rewriteShell(text, uvRun).text).toBe('exec uv run \\\n    gunicorn app:app\n');
    expect(rewriteShell(text, onPath).text).toBe('exec \\\n    gunicorn app:app\n');
  });
  it('activation joined with && and a continuation', () => {
    expect(rewriteShell('conda activate x && \\\n    python a.py\n', uvRun).text).toBe('uv run python a.py\n');
    expect(rewriteShell('cd /app && \\\n    conda activate x\n', uvRun).text).toBe('cd /app\n');
  });
});

const docs: ShellOptions = { host: HOSTS.docs };

table('packages, docs', docs, [
  ['conda install -c conda-forge numpy=1.26 pandas', "uv add 'numpy==1.26.*' pandas"],
  ['conda install -y conda-forge::pytorch=2.5.1 "scipy>=1.11"', "uv add torch==2.5.1 'scipy>=1.11'"],
  ['mamba install -y scikit-learn', 'uv add scikit-learn'],
  ['conda activate geist\npip install httpx rich', 'uv add httpx rich'],
  ['conda activate geist\npip install -e .', 'uv sync'],
  // a reader is told to set the project up with uv sync, not to pip into a venv: left, with a note
  ['conda activate geist\npip install -r requirements.txt', 'pip install -r requirements.txt'],
]);

table('pip in the activated env', uvRun, [
  ['conda activate geist\npip freeze > req.lock\n', 'uv pip freeze > req.lock\n'],
  ['conda activate geist\npython -m pip list\n', 'uv pip list\n'],
  ['conda activate geist\npython -m pip install -e .\n', 'uv sync\n'],
  ['conda run -n geist pip install -e .\n', 'uv sync\n'],
  ['conda run -n geist python -m pip list\n', 'uv pip list\n'],
  ['conda activate geist\npip install git+https://x/y.git\n', 'uv pip install git+https://x/y.git\n'],
  ['pip install -e .\n', 'pip install -e .\n'],
]);

// A uv venv has no pip: what pip installed into the env, uv pip installs into the venv; pip itself goes.
table('pip installs into the active venv', uvRun, [
  ['conda activate geist\npip install foo "bar>=2"\n', 'uv pip install foo "bar>=2"\n'],
  ['conda activate geist\npython -m pip install -r requirements-dev.txt\n', 'uv pip install -r requirements-dev.txt\n'],
  ['conda activate geist\npython3 -m pip install --no-deps ./vendor/lib\n', 'uv pip install --no-deps ./vendor/lib\n'],
  ['conda activate geist\npip install -U pip\npytest\n', 'uv run pytest\n'],
  ['conda activate geist\npython -m pip install --upgrade pip setuptools wheel\n', 'uv pip install --upgrade setuptools wheel\n'],
  ['conda run -n geist pip install foo\n', 'uv pip install foo\n'],
  ['pip install foo\n', 'pip install foo\n'],
]);

table('the project itself into the env (a package: uv sync installs it)', uvRun, [
  ['conda activate geist\npython setup.py develop\n', 'uv sync\n'],
  ['conda activate geist && python setup.py install\n', 'uv sync\n'],
  ['conda run -n geist python setup.py develop\n', 'uv sync\n'],
  ['conda develop .\n', 'uv sync\n'],
  ['conda develop -n geist .\n', 'uv sync\n'],
  ['python setup.py develop\n', 'python setup.py develop\n'],
  ['conda activate geist\npython setup.py sdist\n', 'uv run python setup.py sdist\n'],
  // after `cd` into another package, `.` is that package: into the venv as it is
  ['conda activate geist\ncd vendor/se3\npython setup.py install\ncd ../..\npip install -e .\n', 'cd vendor/se3\nuv pip install .\ncd ../..\nuv sync\n'],
  ['conda activate geist\ncd "$SRC"\npip install -e .\n', 'cd "$SRC"\nuv pip install -e .\n'],
]);

describe('the project itself into the env, an application (uv sync does not install it)', () => {
  const ctx = emptyContext('/r', '0.12.5', 'v10.0.1');
  ctx.plan = { kind: 'application', evidence: [], envFiles: [] };
  it.each([
    ['conda activate geist\npython setup.py develop\n', 'uv pip install -e .\n'],
    ['conda activate geist\npython setup.py install\n', 'uv pip install .\n'],
    ['conda activate geist\npip install -e .\n', 'uv pip install -e .\n'],
    ['conda develop .\n', 'uv pip install -e .\n'],
  ])('%j -> %j', (input, expected) => {
    expect(rewriteShell(input, { ...uvRun, ctx }).text).toBe(expected);
  });
});

// The host may activate the venv (ShellOptions.venvActivation): it does where uv run would not cover what ran.
table('activation or uv run (venvActivation)', { host: { ...HOSTS.script, venvActivation: 'source .venv/bin/activate' } }, [
  ['conda activate x\npytest\n', 'uv run pytest\n'],
  ['conda activate x\necho start\ncd src && python -m app\n', 'echo start\ncd src && uv run python -m app\n'],
  ['conda activate x\nnbmake notebooks/\n', 'source .venv/bin/activate\nnbmake notebooks/\n'],
  ['conda activate x || exit 1\n"$@"\n', 'source .venv/bin/activate || exit 1\n"$@"\n'],
  ['conda activate x\nruff check\nmypy src\npytest\ncoverage xml\n', 'source .venv/bin/activate\nruff check\nmypy src\npytest\ncoverage xml\n'],
  ['conda activate x\nmake docs\nconda deactivate\nmake clean\n', 'source .venv/bin/activate\nmake docs\ndeactivate\nmake clean\n'],
  ['conda activate x\npip install -e .\nsphinx-autobuild docs out\n', 'source .venv/bin/activate\nuv sync\nsphinx-autobuild docs out\n'],
  ['make docs\n', 'make docs\n'],
]);

// Docs blocks: an activation the snippet runs nothing after is where the reader goes on from.
table('a trailing activation kept (keepTrailingActivation)', { host: { ...HOSTS.docs, venvActivation: 'source .venv/bin/activate', keepTrailingActivation: true } }, [
  ['conda env create -f environment.yml\nconda activate x\n', 'uv sync\nsource .venv/bin/activate\n'],
  ['conda activate x\npytest\n', 'uv run pytest\n'],
  ['conda activate x\npytest\nconda deactivate\n', 'uv run pytest\n'],
  ['source activate x || conda activate x\n', 'source .venv/bin/activate\n'],
  // the env was made by a command left for a person: there is no venv to activate yet
  ['conda create -n x python=3.9\nconda activate x\n', 'conda create -n x python=3.9\n'],
]);

table('conda itself and its activation by eval', uvRun, [
  ['conda update -n base -c defaults conda\npytest\n', 'pytest\n'],
  ['conda update conda -y && conda env update -f environment.yml\n', 'uv sync\n'],
  ['eval "$(conda shell.bash activate geist)" && pre-commit install\n', 'uv run pre-commit install\n'],
  ['eval "$(conda shell.bash hook)"\n', ''],
]);

describe("this project's own published package in docs", () => {
  const ctx = emptyContext('/r', '0.12.5', 'v10.0.1');
  ctx.plan = { kind: 'package', evidence: [], envFiles: [], projectName: 'py-janitor' };
  it('is left for its users, with a note, never `uv add` to itself', () => {
    const result = rewriteShell('conda install -c conda-forge py_janitor\n', { ...docs, ctx });
    expect(result.text).toBe('conda install -c conda-forge py_janitor\n');
    expect(result.notes.map((n) => n.message)).toEqual(["installs this project's published package (py-janitor) with conda, for its users: left as is (`pip install py-janitor` where it is on PyPI)"]);
    expect(rewriteShell('conda install -c conda-forge numpy\n', { ...docs, ctx }).text).toBe('uv add numpy\n');
  });
});

// At the top of a repository of several projects: a command that used a project's env works on that project.
table('several projects (projects: env -> folder)', { host: { ...HOSTS.docs, venvActivation: 'source .venv/bin/activate' }, projects: new Map([['web-app', 'app'], ['app/environment.yml', 'app'], ['web-worker', 'worker']]) }, [
  ['conda env create -f app/environment.yml\n', 'uv sync --project app\n'],
  ['conda run -n web-app pytest -q\n', 'uv run --project app pytest -q\n'],
  ['conda run -n web-worker pip install redis\n', 'uv add --project worker redis\n'],
  ['conda activate web-worker\ncelery -A tasks worker\n', 'uv run --project worker celery -A tasks worker\n'],
  ['conda activate web-app\nlollipop deconvolute x.yaml\n', 'source app/.venv/bin/activate\nlollipop deconvolute x.yaml\n'],
  ['conda env create -f other.yml\n', 'uv sync\n'],
]);

describe('another venv activated', () => {
  it('commands after `source venv/bin/activate` get no uv run, and the activation stays', () => {
    const text = 'conda activate geist\npython -m venv venv\nsource venv/bin/activate\npytest\n';
    expect(rewriteShell(text, uvRun).text).toBe('uv run python -m venv venv\nsource venv/bin/activate\npytest\n');
    expect(rewriteShell('conda activate geist\n. .venv/bin/activate && mkdocs build\n', uvRun).text).toBe('. .venv/bin/activate && mkdocs build\n');
  });
});

table('packages, script (left for a person)', uvRun, [
  ['conda install -y numpy\n', 'conda install -y numpy\n'],
]);

table('export, list, info, remove, clean', uvRun, [
  ['conda env export > environment.yml\n', 'uv lock\n'],
  ['conda env export --no-builds > env.yml && git add env.yml\n', 'uv lock && git add env.yml\n'],
  ['conda list --export > requirements.txt\n', 'uv export --format requirements-txt -o requirements.txt\n'],
  ['conda list\n', 'uv pip list\n'],
  ['conda info\n', 'uv --version\n'],
  ['conda --version\n', 'uv --version\n'],
  ['conda env remove -n geist -y || true\n', 'rm -rf .venv || true\n'],
  ['conda remove -n geist --all -y\n', 'rm -rf .venv\n'],
  ['conda clean -afy\n', 'uv cache clean\n'],
]);

table('docker specifics', onPath, [
  ['conda clean -afy', ''],
  ['curl -Ls https://micro.mamba.pm/api/micromamba/linux-64/latest | tar -xvj bin/micromamba && make', 'make'],
  ['"${SHELL}" <(curl -L micro.mamba.pm/install.sh) && make', 'make'],
  ['curl -Ls https://micro.mamba.pm/install.sh | bash && make', 'make'],
  ['apt-get update && conda clean -afy', 'apt-get update'],
  ['conda activate geist && pip install -e .', 'uv sync --locked'],
  ['echo "conda activate geist" >> ~/.bashrc', ''],
  ['conda init bash && echo "conda activate geist" >> ~/.bashrc', ''],
  ['/opt/conda/envs/geist/bin/python app.py', 'python app.py'],
  ['bash -c "source activate geist && python bootstrap.py --reload"', 'bash -c "python bootstrap.py --reload"'],
  [
    'curl -fsSL https://repo.anaconda.com/miniconda/Miniconda3-latest-Linux-x86_64.sh -o /tmp/miniconda.sh && bash /tmp/miniconda.sh -b -p /opt/conda && rm /tmp/miniconda.sh',
    '',
  ],
  [
    'if [ "$(uname -m)" = "aarch64" ]; then MINICONDA=Miniconda3-latest-Linux-aarch64.sh; else MINICONDA=Miniconda3-latest-Linux-x86_64.sh; fi && curl -fsSL https://repo.anaconda.com/miniconda/$MINICONDA -o /tmp/miniconda.sh && apt-get clean',
    'apt-get clean',
  ],
]);

table('installer and paths, script', uvRun, [
  ['wget https://github.com/conda-forge/miniforge/releases/latest/download/Miniforge3-Linux-x86_64.sh\nbash Miniforge3-Linux-x86_64.sh -b\n', 'curl -LsSf https://astral.sh/uv/install.sh | sh\n'],
  ['"${SHELL}" <(curl -L micro.mamba.pm/install.sh)\n', 'curl -LsSf https://astral.sh/uv/install.sh | sh\n'],
  ['curl -Ls https://micro.mamba.pm/install.sh | bash -s -- -b\n', 'curl -LsSf https://astral.sh/uv/install.sh | sh\n'],
  ['export PATH="$HOME/miniconda3/bin:$PATH"\n', ''],
  ['export CONDA_AUTO_UPDATE_CONDA=false\n', ''],
  ['/opt/conda/envs/geist/bin/python app.py\n', 'uv run python app.py\n'],
  ['echo "prefix: $CONDA_PREFIX"\n', 'echo "prefix: $VIRTUAL_ENV"\n'],
  ['ls "${CONDA_PREFIX}/lib"\n', 'ls "${VIRTUAL_ENV}/lib"\n'],
  ['if ! command -v conda >/dev/null; then exit 1; fi\n', 'if ! command -v uv >/dev/null; then exit 1; fi\n'],
  ['which mamba\n', 'which uv\n'],
]);

table('set +e / set -e pairs and explaining comments', uvRun, [
  ['set +u\nsource activate geist\nset -u\npytest\n', 'uv run pytest\n'],
  ['set +e\necho unrelated\nset -e\n', 'set +e\necho unrelated\nset -e\n'],
  ['#!/bin/bash\n# Start the API.\necho start\n\n# Activate the conda env first.\nconda activate geist\n\nuvicorn app:app\n', '#!/bin/bash\n# Start the API.\necho start\n\nuv run uvicorn app:app\n'],
  // a comment that says more than the conda step stays
  ['echo a\n# Tests run in the env.\n# They need the GPU build of torch.\nconda activate geist\npytest\n', 'echo a\n# Tests run in the env.\n# They need the GPU build of torch.\nuv run pytest\n'],
  ['echo a\n# Tests run in the conda env.\n# They need the GPU build of torch.\nconda activate geist\npytest\n', 'echo a\n# Tests run in the conda env.\n# They need the GPU build of torch.\nuv run pytest\n'],
  ['echo a\n# Use the conda env:\n# the env has the GPU build.\nconda activate geist\npytest\n', 'echo a\nuv run pytest\n'],
  ['echo a\n# Run the unit tests.\nconda activate geist\npytest\n', 'echo a\n# Run the unit tests.\nuv run pytest\n'],
]);

describe('notes for what no rule covers', () => {
  const cases: [string, ShellNote[]][] = [
    ['conda info --envs\n', [{ line: 1, col: 1, message: '`conda info --envs`: no uv equivalent; left as is' }]],
    ['conda create -n x python=3.11 numpy\n', [{ line: 1, col: 1, message: '`conda create -n x python=3.11 numpy`: creates an env from a package list: add the packages to pyproject.toml (`uv add`) and run `uv sync`' }]],
    ['conda build recipe/\n', [{ line: 1, col: 1, message: '`conda build recipe/`: no uv rule for this conda command; left as is' }]],
    ['echo é $CONDA_DEFAULT_ENV\n', [{ line: 1, col: 8, message: '$CONDA_DEFAULT_ENV: no uv equivalent; left as is' }]],
    ['cp x /opt/conda/envs/geist/lib/\n', [{ line: 1, col: 6, message: 'a conda path (/opt/conda/envs/geist/lib/): point it at the project venv (.venv/bin)' }]],
    ['conda activate geist\npip uninstall -y foo\n', [{ line: 2, col: 1, message: 'pip in the conda env (`pip uninstall -y foo`): add packages to pyproject.toml with `uv add`, or use `uv pip`' }]],
    ['ls | conda activate x\n', [{ line: 1, col: 6, message: 'a conda command inside a pipeline: left as is' }]],
  ];
  for (const [input, notes] of cases) {
    it(JSON.stringify(input), () => {
      const result = rewriteShell(input, uvRun);
      expect(result.notes).toEqual(notes);
    });
  }
});

describe('renamed files', () => {
  const renames = new Map([['conda-install.sh', 'uv-install.sh']]);
  it('a word naming a renamed script names the new one', () => {
    expect(rewriteShell('./conda-install.sh && bash scripts/../conda-install.sh\n', { ...uvRun, renames }).text).toBe('./uv-install.sh && bash scripts/../uv-install.sh\n');
  });
  it('other words are left', () => {
    expect(rewriteShell('echo conda-install.shx\n', { ...uvRun, renames }).text).toBe('echo conda-install.shx\n');
  });
});

describe('the re-parse guard', () => {
  it('a rewrite that would not parse leaves the text unchanged, with a note', () => {
    // A host mask that turns `uv run` into `if` (same length) makes the rewritten text invalid.
    const mask = (text: string) => text.replace('uv run', 'if    ');
    const text = 'conda activate x\npython a.py\n';
    const result = rewriteShell(text, { ...uvRun, mask });
    expect(result).toEqual({
      text,
      changed: false,
      notes: [{ line: 1, col: 1, message: 'the rewrite would not parse ("if <cond>" must be followed by "then"): left unchanged' }],
      activatedAfter: false,
    });
  });
});

describe('console scripts from the context', () => {
  it('a console script the context knows of runs with uv run', () => {
    const ctx = emptyContext('/r', '0.12.5', 'v10.0.1');
    ctx.conda.consoleScripts.push('geist-worker');
    expect(rewriteShell('conda activate x\ngeist-worker --once\nmake\n', { ...uvRun, ctx }).text).toBe('uv run geist-worker --once\nmake\n');
  });
});

table('variables that only fed conda', uvRun, [
  ['ENV_NAME=geist\nconda run -n "$ENV_NAME" python a.py\n', 'uv run python a.py\n'],
  ['ENV=geist\n\nconda activate ${ENV}\n\npytest\n', 'uv run pytest\n'],
  ['echo a\n\nENV=geist\n\nconda activate ${ENV}\npytest\n', 'echo a\n\nuv run pytest\n'],
  ['ENV=geist\nconda activate $ENV\necho "$ENV"\n', 'ENV=geist\necho "$ENV"\n'],
  ['UNUSED=1\nconda activate x\n', 'UNUSED=1\n'],
]);

it('a heredoc line that looks like an assignment is not a variable', () => {
  const text = 'ENV=geist\nconda activate $ENV\ncat <<EOF\nENV=geist\nEOF\n';
  expect(rewriteShell(text, uvRun).text).toBe('cat <<EOF\nENV=geist\nEOF\n');
});

describe('every row in both policies', () => {
  const script: ShellOptions = { host: HOSTS.script };
  const image: ShellOptions = { host: HOSTS.dockerfile };
  // [input, uv-run in a script, venv on PATH in a Dockerfile]
  const rows: [string, string, string][] = [
    ['conda activate geist && python app.py', 'uv run python app.py', 'python app.py'],
    ['source activate geist; pytest -q', 'uv run pytest -q', 'pytest -q'],
    ['. activate geist && uvicorn app:app', 'uv run uvicorn app:app', 'uvicorn app:app'],
    ['conda deactivate && python app.py', 'python app.py', 'python app.py'],
    ['source "$(conda info --base)/etc/profile.d/conda.sh" && make', 'make', 'make'],
    ['eval "$(conda shell.bash hook)" && make', 'make', 'make'],
    ['conda init bash && make', 'make', 'make'],
    ['micromamba shell init -s bash && make', 'make', 'make'],
    ['conda env create -f environment.yml', 'uv sync', 'uv sync --locked'],
    ['conda env update -f environment.yml --prune', 'uv sync', 'uv sync --locked'],
    ['conda create -n geist --file environment.yml', 'uv sync', 'uv sync --locked'],
    ['micromamba install -y -n base -f environment.yml', 'uv sync', 'uv sync --locked'],
    ['conda run -n geist --no-capture-output python app.py', 'uv run python app.py', 'python app.py'],
    ['mamba run --live-stream -n geist pytest', 'uv run pytest', 'pytest'],
    ['conda activate geist && pip install -e .', 'uv sync', 'uv sync --locked'],
    ['conda env export > environment.yml', 'uv lock', 'uv lock'],
    ['conda list --export > requirements.txt', 'uv export --format requirements-txt -o requirements.txt', 'uv export --format requirements-txt -o requirements.txt'],
    ['conda list', 'uv pip list', 'uv pip list'],
    ['conda info', 'uv --version', 'uv --version'],
    ['conda --version', 'uv --version', 'uv --version'],
    ['conda env remove -n geist', 'rm -rf .venv', 'rm -rf .venv'],
    ['make && conda clean -afy', 'make && uv cache clean', 'make'],
    ['conda config --set always_yes true && make', 'make', 'make'],
    ['conda tos accept --override-channels --channel defaults && make', 'make', 'make'],
    ['export CONDA_ALWAYS_YES=true && make', 'make', 'make'],
    ['wget -q https://repo.anaconda.com/miniconda/Miniconda3-latest-Linux-x86_64.sh && make', 'curl -LsSf https://astral.sh/uv/install.sh | sh && make', 'make'],
    ['command -v conda && make', 'command -v uv && make', 'command -v uv && make'],
    ['echo "$CONDA_PREFIX"', 'echo "$VIRTUAL_ENV"', 'echo "$VIRTUAL_ENV"'],
    ['/opt/conda/envs/geist/bin/python app.py', 'uv run python app.py', 'python app.py'],
  ];
  for (const [input, inScript, inImage] of rows) {
    // mamba and micromamba alike: the same row with the tool renamed gives the same result
    for (const tool of ['conda', 'mamba', 'micromamba']) {
      const row = input.replace(/\bconda(?= )/g, tool);
      if (tool !== 'conda' && row === input) continue;
      it(row, () => {
        expect(rewriteShell(row, script).text).toBe(inScript);
        expect(rewriteShell(row, image).text).toBe(inImage);
      });
    }
  }
});

describe('pip install -r of a file merged into pyproject', () => {
  const ctx = emptyContext('/r', '0.12.5', 'v10.0.1');
  ctx.conda.dependencies.push({ requirement: 'httpx', sources: ['environment.yml', 'backend/requirements.txt'], conversion: 'httpx' });
  it('becomes uv sync; another file stays', () => {
    expect(rewriteShell('conda activate x\npip install -r backend/requirements.txt\n', { ...onPath, ctx }).text).toBe('uv sync --locked\n');
    expect(rewriteShell('conda activate x\npip install -r ./backend/requirements.txt\n', { ...onPath, ctx }).text).toBe('uv sync --locked\n');
    // the engine does not know the script's directory: another path is not guessed to be the merged file
    expect(rewriteShell('conda activate x\npip install -r requirements.txt\n', { ...onPath, ctx }).text).toBe('uv pip install -r requirements.txt\n');
  });
});

describe('an env the migration keeps on conda', () => {
  const ctx = emptyContext('/r', '0.12.5', 'v10.0.1');
  ctx.conda.envFiles.push({ path: 'environment.yml', name: 'geist', role: 'main', migrated: true }, { path: 'r-env.yml', name: 'geist-r', role: 'unmigratable', migrated: false });
  it('its activation and conda run stay, with notes', () => {
    const text = 'conda activate geist-r\nRscript a.R\nconda run -n geist-r Rscript b.R\nconda run -n geist python c.py\n';
    const result = rewriteShell(text, { ...uvRun, ctx });
    expect(result.text).toBe('conda activate geist-r\nRscript a.R\nconda run -n geist-r Rscript b.R\nuv run python c.py\n');
    expect(result.notes).toEqual([
      { line: 1, col: 1, message: 'the conda env geist-r is not migrated to uv: left as is' },
      { line: 3, col: 1, message: 'the conda env geist-r is not migrated to uv: left as is' },
    ]);
  });
});

describe("the run's memo of rewrites", () => {
  const text = 'conda activate geist\nbash ./conda-install.sh\nRscript a.R\npytest\n';
  // Texts whose rewrite each option below changes.
  const texts = [text, 'echo conda\npython a.py\n', 'conda activate x\npython ${{ matrix.py }} a.py\n'];
  const fresh = (t: string, options: Omit<ShellOptions, 'ctx'>) => rewriteShell(t, { ...options, ctx: emptyContext('/r', '0.12.5', 'v10.0.1') });

  it('gives each set of options its own rewrite, as a fresh run would', () => {
    const ctx = emptyContext('/r', '0.12.5', 'v10.0.1');
    const renames = new Map<string, string>();
    const venv = { ...HOSTS.script, venvActivation: 'source .venv/bin/activate' };
    const variants: Omit<ShellOptions, 'ctx'>[] = [
      { host: HOSTS.script },
      { host: HOSTS.dockerfile },
      { host: venv },
      { host: venv, useVenvActivation: true },
      { host: HOSTS.script, activated: true },
      { host: HOSTS.ci },
      { host: HOSTS.ci, mask: maskGithubExpressions },
      { host: HOSTS.script, renames },
    ];
    for (const t of texts) for (const options of variants) expect(rewriteShell(t, { ...options, ctx })).toEqual(fresh(t, options));
    // A file renamed since (the same Map, grown) is followed, not answered from the memo.
    renames.set('conda-install.sh', 'uv-install.sh');
    const renamed = rewriteShell(text, { host: HOSTS.script, renames, ctx });
    expect(renamed.text).toContain('./uv-install.sh');
    expect(renamed).toEqual(fresh(text, { host: HOSTS.script, renames: new Map(renames) }));
  });

  it('keeps one run from answering for another', () => {
    const plain = emptyContext('/r', '0.12.5', 'v10.0.1');
    const kept = emptyContext('/r', '0.12.5', 'v10.0.1');
    kept.conda.envFiles.push({ path: 'r-env.yml', name: 'geist', role: 'unmigratable', migrated: false });
    expect(rewriteShell(text, { host: HOSTS.script, ctx: plain }).text).not.toContain('conda activate');
    expect(rewriteShell(text, { host: HOSTS.script, ctx: kept }).text).toContain('conda activate geist');
  });

  it('hands out results no caller can change for the next', () => {
    const ctx = emptyContext('/r', '0.12.5', 'v10.0.1');
    const first = rewriteShell('conda activate x\nsource deactivate\nconda run -n x --cwd a python b.py\n', { host: HOSTS.script, ctx });
    expect(first.notes.length).toBeGreaterThan(0);
    expect(() => (first.notes as ShellNote[]).push({ line: 1, col: 1, message: 'x' })).toThrow(TypeError);
    expect(() => ((first as { text: string }).text = 'x')).toThrow(TypeError);
  });
});
