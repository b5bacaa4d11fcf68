// A seeded generator of synthetic monorepos for the benchmark: realistic Python, JS/TS, JSON,
// Markdown and YAML files. One conda project: the root env file and its linux-64 export, and
// "services" that each carry 8 conda-bearing files using that env (Dockerfile, Makefile, compose,
// README, install script, run script, a doc page, a workflow).
// The same seed and size always give the same bytes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Bump when the generated content changes, so cached repositories are rebuilt. */
export const GENERATOR_VERSION = 4;

export const SIZES = {
  S: { files: 2_000, conda: 40 },
  M: { files: 20_000, conda: 400 },
  L: { files: 40_000, conda: 800 },
  NONE: { files: 20_000, conda: 0 },
};


/** mulberry32: small, fast and good enough for picking words. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'account order invoice user session token cache queue report metric price stock item cart ' +
  'payment shipment address profile search index vector model feature label batch record event ' +
  'audit policy rule schedule job task worker stream buffer chunk frame image tensor graph node ' +
  'edge route handler client server config setting option value result error status health'
).split(' ');
const PY_LIBS = ['numpy', 'pandas', 'scipy', 'fastapi', 'pydantic', 'sqlalchemy', 'httpx', 'redis', 'celery', 'boto3', 'torch', 'sklearn'];
const CONDA_PKGS = [
  ['numpy', '1.26.4', 'py311h64a7726_0'],
  ['pandas', '2.2.2', 'py311h14de704_1'],
  ['scipy', '1.13.1', 'py311h517d4fd_0'],
  ['sqlalchemy', '2.0.35', 'py311h9ecbd09_0'],
  ['uvicorn', '0.30.6', 'py311h38be061_0'],
  ['pyyaml', '6.0.2', 'py311h9ecbd09_1'],
  ['openssl', '3.3.2', 'hb9d3cd8_0'],
  ['libffi', '3.4.2', 'h7f98852_5'],
  ['ffmpeg', '6.1.1', 'gpl_h38e077a_106'],
  ['psycopg2', '2.9.9', 'py311hd6d7b6c_0'],
];

class Gen {
  constructor(seed) {
    this.rand = prng(seed);
  }
  int(lo, hi) {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }
  pick(list) {
    return list[Math.floor(this.rand() * list.length)];
  }
  name() {
    return `${this.pick(WORDS)}_${this.pick(WORDS)}`;
  }
  camel() {
    const [a, b] = [this.pick(WORDS), this.pick(WORDS)];
    return a[0].toUpperCase() + a.slice(1) + b[0].toUpperCase() + b.slice(1);
  }
  /** Pad a body with more units until it reaches roughly `target` bytes. */
  grow(target, unit) {
    let out = '';
    while (out.length < target) out += unit();
    return out;
  }

  python() {
    const imports = [...new Set(Array.from({ length: this.int(2, 6) }, () => this.pick(PY_LIBS)))].map((l) => `import ${l}\n`).join('');
    // About one Python file in a hundred says "activate", as real code does (feature flags, accounts).
    let rare = this.rand() < 0.01;
    const fn = () => {
      const n = this.name();
      const comment = rare ? `    # activate the ${n} feature flag before use\n` : '';
      rare = false;
      return `\n\ndef ${n}(items, limit=${this.int(1, 500)}):\n    """Return the ${this.pick(WORDS)} of every ${this.pick(WORDS)}."""\n${comment}    out = []\n    for item in items[:limit]:\n        if item.${this.pick(WORDS)} > ${this.int(0, 99)}:\n            out.append(item.${this.pick(WORDS)})\n    return out\n`;
    };
    const cls = () => `\n\nclass ${this.camel()}:\n    def __init__(self, ${this.pick(WORDS)}):\n        self.${this.pick(WORDS)} = ${this.pick(WORDS)}\n\n    def __repr__(self):\n        return f"<${this.camel()} {self.${this.pick(WORDS)}!r}>"\n`;
    return `"""${this.camel()} module."""\n${imports}${this.grow(this.int(600, 5000), () => (this.rand() < 0.3 ? cls() : fn()))}`;
  }

  typescript() {
    const fn = () =>
      `\nexport function ${this.pick(WORDS)}${this.camel()}(input: ${this.camel()}[]): number {\n  let total = 0;\n  for (const x of input) {\n    if (x.${this.pick(WORDS)} > ${this.int(0, 99)}) total += x.${this.pick(WORDS)};\n  }\n  return total;\n}\n`;
    const iface = () => `\nexport interface ${this.camel()} {\n  ${this.pick(WORDS)}: number;\n  ${this.pick(WORDS)}?: string;\n}\n`;
    return `import { ${this.pick(WORDS)} } from './${this.pick(WORDS)}';\n${this.grow(this.int(400, 4000), () => (this.rand() < 0.4 ? iface() : fn()))}`;
  }

  javascript() {
    return `'use strict';\nconst ${this.pick(WORDS)} = require('./${this.pick(WORDS)}');\n${this.grow(this.int(300, 3000), () => `\nfunction ${this.pick(WORDS)}${this.camel()}(a, b) {\n  return a.${this.pick(WORDS)} + b.${this.pick(WORDS)} * ${this.int(1, 9)};\n}\n`)}\nmodule.exports = {};\n`;
  }

  json() {
    const entries = Array.from({ length: this.int(3, 40) }, () => `  "${this.name()}": ${this.rand() < 0.5 ? this.int(0, 9999) : `"${this.pick(WORDS)}"`}`);
    return `{\n${entries.join(',\n')}\n}\n`;
  }

  packageJson(name) {
    return `{\n  "name": "${name}",\n  "version": "1.${this.int(0, 20)}.0",\n  "private": true,\n  "scripts": {\n    "build": "tsc -p .",\n    "test": "vitest run",\n    "lint": "eslint src"\n  },\n  "dependencies": {\n    "react": "^18.3.1",\n    "zod": "^3.23.8"\n  }\n}\n`;
  }

  markdown() {
    const para = () => `\n## ${this.camel()}\n\nThe ${this.pick(WORDS)} service keeps every ${this.pick(WORDS)} in the ${this.pick(WORDS)} store. Set the ${this.rand() < 0.03 ? 'environment ' : ''}variable \`${this.pick(WORDS).toUpperCase()}_URL\` before you start it.\n\n\`\`\`bash\nexport ${this.pick(WORDS).toUpperCase()}_LIMIT=${this.int(1, 100)}\nnpm run build\n\`\`\`\n`;
    return `# ${this.camel()}\n${this.grow(this.int(400, 3000), para)}`;
  }

  yaml() {
    const block = () => `${this.name()}:\n  enabled: ${this.rand() < 0.5}\n  limit: ${this.int(1, 1000)}\n  tags:\n    - ${this.pick(WORDS)}\n    - ${this.pick(WORDS)}\n`;
    return `# ${this.camel()} settings\n${this.grow(this.int(200, 1500), block)}`;
  }

  text(ext) {
    if (ext === 'css') return this.grow(this.int(200, 2000), () => `.${this.pick(WORDS)}-${this.pick(WORDS)} {\n  margin: ${this.int(0, 32)}px;\n  color: #${this.int(0, 0xffffff).toString(16).padStart(6, '0')};\n}\n`);
    if (ext === 'sql') return this.grow(this.int(200, 2000), () => `CREATE TABLE ${this.name()} (\n  id BIGINT PRIMARY KEY,\n  ${this.pick(WORDS)} TEXT NOT NULL\n);\n`);
    return this.grow(this.int(100, 800), () => `${this.pick(WORDS)} ${this.pick(WORDS)} ${this.int(0, 9999)}\n`);
  }

  binary() {
    const bytes = Buffer.alloc(this.int(500, 6000));
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(this.rand() * 256);
    bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], 0);
    return bytes;
  }

  /** The root env file and its linux-64 export (with build strings), keyed by repository path. */
  condaEnv(env) {
    const py = '3.11';
    const pkgs = CONDA_PKGS.slice(0, 7);
    const files = {};
    files['environment.yml'] =
      `name: ${env}\nchannels:\n  - conda-forge\n  - defaults\ndependencies:\n  - python=${py}\n${pkgs.map(([n, v]) => `  - ${n}=${v.split('.').slice(0, 2).join('.')}\n`).join('')}  - pip\n  - pip:\n      - fastapi==0.115.${this.int(0, 6)}\n      - pydantic>=2.${this.int(5, 9)}\n`;
    files['environment.linux-64.yml'] =
      `name: ${env}\nchannels:\n  - conda-forge\ndependencies:\n  - _libgcc_mutex=0.1=conda_forge\n  - python=${py}.${this.int(1, 9)}=h2755cc3_0_cpython\n${pkgs.map(([n, v, b]) => `  - ${n}=${v}=${b}\n`).join('')}  - pip=24.2=pyh8b19718_1\n  - pip:\n      - fastapi==0.115.${this.int(0, 6)}\nprefix: /opt/conda/envs/${env}\n`;
    return files;
  }

  /** The eight conda-bearing files of one service, in a fixed order, keyed by repository path. */
  condaService(svc, dir, env) {
    const files = {};
    files[`${dir}/Dockerfile`] =
      `FROM continuumio/miniconda3:24.7.1-0\n\nWORKDIR /app\nCOPY environment.yml .\nRUN conda env create -f environment.yml && \\\n    conda clean -afy\n\nSHELL ["conda", "run", "-n", "${env}", "/bin/bash", "-c"]\n\nCOPY . .\nEXPOSE ${this.int(8000, 8999)}\nCMD ["conda", "run", "--no-capture-output", "-n", "${env}", "uvicorn", "${env}.main:app", "--host", "0.0.0.0"]\n`;
    files[`${dir}/Makefile`] =
      `SHELL := /bin/bash\nCONDA_ACTIVATE = source $$(conda info --base)/etc/profile.d/conda.sh && conda activate ${env}\n\n.PHONY: install test run\ninstall:\n\tconda env create -f ../../environment.yml\n\ntest:\n\t$(CONDA_ACTIVATE) && pytest -q tests\n\nrun:\n\t$(CONDA_ACTIVATE) && python -m ${env}\n\nlint:\n\truff check .\n`;
    files[`${dir}/docker-compose.yml`] =
      `services:\n  ${svc}:\n    build:\n      context: ../..\n      dockerfile: ${dir}/Dockerfile\n    command: conda run -n ${env} uvicorn ${env}.main:app --reload\n    volumes:\n      - ./:/app\n    environment:\n      - LOG_LEVEL=info\n    ports:\n      - "${this.int(8000, 8999)}:8000"\n`;
    files[`${dir}/README.md`] =
      `# ${svc}\n\nThe ${this.pick(WORDS)} service.\n\n## Setup\n\n\`\`\`bash\nconda env create -f environment.yml\nconda activate ${env}\npytest\n\`\`\`\n\nUpdate the environment with \`conda env update -f environment.yml --prune\`.\n`;
    files[`${dir}/scripts/setup.sh`] =
      `#!/bin/bash\nset -euo pipefail\nsource "$(conda info --base)/etc/profile.d/conda.sh"\nconda env create -f environment.yml || conda env update -f environment.yml\nconda activate ${env}\npython -m ${env}.migrate\necho "ready"\n`;
    files[`${dir}/scripts/run.sh`] =
      `#!/bin/bash\nset -euo pipefail\neval "$(conda shell.bash hook)"\nconda activate ${env}\nexport LOG_LEVEL=\${LOG_LEVEL:-info}\npython -m ${svc.replace(/-/g, '_')}.worker --queue ${this.pick(WORDS)}\n`;
    files[`docs/services/${svc}.md`] =
      `# ${svc}\n\nRun it locally:\n\n\`\`\`bash\nconda activate ${env}\npython -m ${svc.replace(/-/g, '_')}\n\`\`\`\n`;
    files[`.github/workflows/${svc}.yml`] =
      `name: ${svc}\non:\n  push:\n    paths: ['${dir}/**']\njobs:\n  test:\n    runs-on: ubuntu-latest\n    defaults:\n      run:\n        shell: bash -l {0}\n    steps:\n      - uses: actions/checkout@v4\n      - uses: conda-incubator/setup-miniconda@v3\n        with:\n          environment-file: environment.yml\n          activate-environment: ${env}\n      - run: pytest -q ${dir}/tests\n`;
    return files;
  }
}

/** Every file of a repository of `size` (see SIZES), as path -> string or Buffer. */
export function generateFiles(sizeName, seed = 1) {
  const size = SIZES[sizeName];
  if (!size) throw new Error(`unknown size ${sizeName}: one of ${Object.keys(SIZES).join(', ')}`);
  const g = new Gen(seed);
  const files = new Map();
  if (size.conda > 0) {
    for (const [p, c] of Object.entries(g.condaEnv('app'))) files.set(p, c);
    for (let i = 0; files.size < size.conda; i++) {
      for (const [p, c] of Object.entries(g.condaService(`svc-${i}`, `services/svc-${i}`, 'app'))) if (files.size < size.conda) files.set(p, c);
    }
  }
  files.set('README.md', `# Monorepo\n${g.markdown()}`);
  files.set('.gitignore', 'node_modules/\n__pycache__/\n*.pyc\n');
  // Ordinary files fill the rest, spread over service folders, web packages, docs and libraries.
  const folders = Math.max(10, Math.round(size.files / 60));
  let n = 0;
  while (files.size < size.files) {
    const f = n++ % folders;
    const base = f % 3 === 0 ? `packages/web-${f}` : f % 3 === 1 ? `libs/lib_${f}` : `services/svc-${f}`;
    const r = g.rand();
    const stem = `${g.pick(WORDS)}_${n}`;
    let rel;
    let content;
    if (r < 0.36) [rel, content] = [`${base}/src/${g.pick(WORDS)}/${stem}.py`, g.python()];
    else if (r < 0.46) [rel, content] = [`${base}/tests/test_${stem}.py`, g.python()];
    else if (r < 0.6) [rel, content] = [`${base}/src/${stem}.${g.pick(['ts', 'tsx'])}`, g.typescript()];
    else if (r < 0.66) [rel, content] = [`${base}/lib/${stem}.js`, g.javascript()];
    else if (r < 0.74) [rel, content] = [`${base}/data/${stem}.json`, g.json()];
    else if (r < 0.8) [rel, content] = [`docs/${g.pick(WORDS)}/${stem}.md`, g.markdown()];
    else if (r < 0.87) [rel, content] = [`${base}/config/${stem}.${g.pick(['yml', 'yaml'])}`, g.yaml()];
    else if (r < 0.9) [rel, content] = [`${base}/assets/${stem}.png`, g.binary()];
    else {
      const ext = g.pick(['css', 'sql', 'txt']);
      [rel, content] = [`${base}/misc/${stem}.${ext}`, g.text(ext)];
    }
    files.set(rel, content);
    if (n % 500 === 0 && files.size < size.files) files.set(`${base}/package.json`, g.packageJson(`web-${f}`));
  }
  return files;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
};

/** Generate (or reuse) the repository for `sizeName` under `root`; returns its path. */
export function ensureRepo(root, sizeName, seed = 1) {
  const dir = path.join(root, `${sizeName}-seed${seed}-v${GENERATOR_VERSION}`);
  const done = `${dir}.ok`;
  if (existsSync(done) && existsSync(dir)) return dir;
  rmSync(dir, { recursive: true, force: true });
  const files = generateFiles(sizeName, seed);
  for (const [rel, content] of files) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content, { mode: typeof content === 'string' && content.startsWith('#!') ? 0o755 : 0o644 });
  }
  const git = (...args) => execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, stdio: ['ignore', 'ignore', 'inherit'] });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '--no-gpg-sign', '-m', `synthetic ${sizeName} repository (seed ${seed})`);
  writeFileSync(done, `${files.size}\n`);
  return dir;
}
