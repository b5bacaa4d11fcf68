// What a conda package is on the Python side: its PyPI name, a dev tool, a system package, or
// something uv does not need at all (with the reason, for the report).
import { NO_PYTHON, RENAMED, SAME } from './pypi-table.js';

/** PEP 503 normalized name: lowercase, runs of `-_.` as one `-`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The distribution name a PEP 508 requirement names, normalised. */
export function requirementName(requirement: string): string {
  return normalizeName(/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(requirement)?.[1] ?? requirement);
}

/**
 * What parselmouth's conda -> PyPI mapping (pypi-table.ts, `npm run table`) gets wrong or cannot know.
 * Keys are normalized conda names; the value is the PyPI name, or null for no Python distribution.
 */
export const PYPI_OVERRIDES: ReadonlyMap<string, string | null> = new Map<string, string | null>([
  // Metapackages: they ship no files of their own, so the data sees no Python distribution.
  ['pytorch-gpu', 'torch'],
  ['tensorflow-gpu', 'tensorflow'],
  ['tensorflow-cpu', 'tensorflow'],
  ['py-xgboost-cpu', 'xgboost'],
  ['py-xgboost-gpu', 'xgboost'],
  ['pyarrow-all', 'pyarrow'],
  ['opencv', 'opencv-python'],
  ['vtk', 'vtk'],
  ['ray-default', 'ray'],
  ['uvicorn-standard', 'uvicorn'],
  ['jupyterhub-singleuser', 'jupyterhub'],
  // Builds only the defaults channel has (the data covers conda-forge, bioconda and pytorch).
  ['numpy-base', 'numpy'],
  ['keras-base', 'keras'],
  // The conda package holds the bindings under another PyPI name; PyPI's `faiss` is an unrelated old project.
  ['faiss', 'faiss-cpu'],
  ['faiss-cpu', 'faiss-cpu'],
  ['faiss-gpu', 'faiss-gpu'],
  // The pytorch channel's CPU build (conda-forge's package of that name ships nothing).
  ['torchvision-cpu', 'torchvision'],
  ['openbabel', 'openbabel-wheel'],
  // A binary tool conda builds from source; PyPI ships it as a wheel under the same name.
  ['py-spy', 'py-spy'],
  // The data picks `iris` (another project on PyPI): SciTools' Iris is `scitools-iris`.
  ['iris', 'scitools-iris'],
  // The C++ library: the data lists the bindings it bundles, but PyPI's Magics is magics-python's, versioned apart.
  ['magics', null],
  // An application that bundles Python packages: the data's first listed (`future`) is not what it is.
  ['qgis', null],
  // bioconda's LolliPop (cbg-ethz); PyPI's `lollipop` is an unrelated project by another author.
  ['lollipop', null],
]);

/**
 * The line of `text` (sorted lines) whose key, the text before its first space, is `key`: a binary search
 * over character offsets, so the shipped table needs no building at run time.
 */
function findLine(text: string, key: string): string | undefined {
  let lo = 0; // both ends are line starts (or the end of the text)
  let hi = text.length;
  while (lo < hi) {
    const start = Math.max(lo, text.lastIndexOf('\n', ((lo + hi) >>> 1) - 1) + 1);
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, end);
    const space = line.indexOf(' ');
    const lineKey = space === -1 ? line : line.slice(0, space);
    if (lineKey === key) return line;
    if (lineKey < key) lo = end + 1;
    else hi = start;
  }
  return undefined;
}

/** What the shipped table says of a normalized conda name. */
function fromTable(name: string): string | null | undefined {
  const renamed = findLine(RENAMED, name);
  if (renamed) return renamed.slice(name.length + 1);
  if (findLine(SAME, name)) return name;
  return findLine(NO_PYTHON, name) === undefined ? undefined : null;
}

/** A build variant named by a suffix: `X-minimal` (fewer extras), `X-cuda11.1`, `X-gpu`, `X-cpu` (a channel's builds). */
const VARIANT = /^(.+?)-(?:minimal|cpu|gpu|cuda[\d-]*)$/; // normalized: `cuda11.1` reads `cuda11-1`

/**
 * The PyPI name of a conda package: a string, null when it ships no Python distribution, undefined when
 * neither the overrides nor the mapping know it. A variant neither knows is looked up as its base name.
 */
export function pypiMapping(condaName: string): string | null | undefined {
  const name = normalizeName(condaName);
  const known = PYPI_OVERRIDES.has(name) ? PYPI_OVERRIDES.get(name) : fromTable(name);
  if (known !== undefined) return known;
  const variant = VARIANT.exec(name);
  return variant ? pypiMapping(variant[1]!) : undefined;
}

/** The base name a variant was looked up by (`dgl-cuda11.1` -> `dgl`), when neither the overrides nor the mapping know the variant itself. */
export function variantBase(condaName: string): string | undefined {
  const name = normalizeName(condaName);
  if (PYPI_OVERRIDES.has(name) || fromTable(name) !== undefined) return undefined;
  return VARIANT.exec(name)?.[1];
}

/** Conda-only packages, by normalized name: uv, the interpreter or the wheels provide them. */
const DROPPED: Readonly<Record<string, string>> = {
  python: 'the interpreter: uv installs it (requires-python, .python-version)',
  'python-abi': 'the interpreter ABI pin of conda',
  pip: 'uv replaces pip',
  setuptools: 'a build tool from the base env; uv brings its own for builds',
  wheel: 'a build tool from the base env; uv brings its own for builds',
  tzdata: "conda's time zone database (the OS provides it)",
  'ca-certificates': "conda's certificate store (the OS provides it)",
  certifi: 'a transitive dependency (pulled in by requests and others as needed)',
  openssl: 'a runtime library of the conda interpreter',
  ncurses: 'a runtime library of the conda interpreter',
  readline: 'a runtime library of the conda interpreter',
  tk: 'a runtime library of the conda interpreter',
  xz: 'a runtime library of the conda interpreter',
  zlib: 'a runtime library of the conda interpreter',
  bzip2: 'a runtime library of the conda interpreter',
  sqlite: 'a runtime library of the conda interpreter',
  expat: 'a runtime library of the conda interpreter',
  icu: 'a native library conda ships',
  ucrt: 'the Windows C runtime',
  vc: 'the Windows C runtime',
  'vc14-runtime': 'the Windows C runtime',
  'vs2015-runtime': 'the Windows C runtime',
  'intel-openmp': 'MKL/OpenMP runtime: the wheels bring their own',
  'llvm-openmp': 'MKL/OpenMP runtime: the wheels bring their own',
  mkl: 'BLAS/MKL: the wheels bring their own BLAS',
  'mkl-service': 'BLAS/MKL: the wheels bring their own BLAS',
  'mkl-fft': 'BLAS/MKL: the wheels bring their own BLAS',
  'mkl-random': 'BLAS/MKL: the wheels bring their own BLAS',
  'mkl-include': 'BLAS/MKL: the wheels bring their own BLAS',
  'mkl-devel': 'BLAS/MKL: the wheels bring their own BLAS',
  blas: 'BLAS/MKL: the wheels bring their own BLAS',
  'blas-devel': 'BLAS/MKL: the wheels bring their own BLAS',
  openblas: 'BLAS/MKL: the wheels bring their own BLAS',
  nomkl: 'BLAS/MKL: the wheels bring their own BLAS',
  cudatoolkit: 'CUDA: the PyTorch wheel index brings it (see [[tool.uv.index]])',
  'pytorch-cuda': 'CUDA: the PyTorch wheel index brings it (see [[tool.uv.index]])',
  'cuda-version': 'CUDA: the wheels bring their own CUDA runtime',
  cudnn: 'CUDA: the wheels bring their own CUDA runtime',
  nccl: 'CUDA: the wheels bring their own CUDA runtime',
  'pytorch-mutex': "conda's CPU/CUDA selector for PyTorch (the wheel index chooses instead)",
  'pytorch-select': "conda's CPU/CUDA selector for PyTorch (the wheel index chooses instead)",
  cpuonly: "conda's CPU/CUDA selector for PyTorch (the wheel index chooses instead)",
  gcc: 'a compiler or build tool (install it with the system package manager if a build needs it)',
  gxx: 'a compiler or build tool (install it with the system package manager if a build needs it)',
  clang: 'a compiler or build tool (install it with the system package manager if a build needs it)',
  clangxx: 'a compiler or build tool (install it with the system package manager if a build needs it)',
  gfortran: 'a compiler or build tool (install it with the system package manager if a build needs it)',
  'c-compiler': 'a compiler or build tool (install it with the system package manager if a build needs it)',
  'cxx-compiler': 'a compiler or build tool (install it with the system package manager if a build needs it)',
  'fortran-compiler': 'a compiler or build tool (install it with the system package manager if a build needs it)',
  compilers: 'a compiler or build tool (install it with the system package manager if a build needs it)',
  cmake: 'a compiler or build tool (install it with the system package manager if a build needs it)',
  make: 'a compiler or build tool (install it with the system package manager if a build needs it)',
  ninja: 'a compiler or build tool (install it with the system package manager if a build needs it)',
  'pkg-config': 'a compiler or build tool (install it with the system package manager if a build needs it)',
  binutils: 'a compiler or build tool (install it with the system package manager if a build needs it)',
  autoconf: 'a compiler or build tool (install it with the system package manager if a build needs it)',
  automake: 'a compiler or build tool (install it with the system package manager if a build needs it)',
  libtool: 'a compiler or build tool (install it with the system package manager if a build needs it)',
  'tensorflow-deps': "Apple's conda meta-package for tensorflow-macos (its wheels bring what they need)",
  conda: 'conda itself',
  mamba: 'conda itself',
  'conda-build': 'conda itself',
  'conda-forge-pinning': 'conda itself',
  'conda-package-handling': 'conda itself',
  'conda-libmamba-solver': 'conda itself',
  'conda-content-trust': 'conda itself',
  libmamba: 'conda itself',
  libmambapy: 'conda itself',
  menuinst: 'conda itself',
  pycosat: 'conda itself',
  constructor: 'conda itself (its installer builder)',
  uv: 'uv itself: installed on the machine, not a dependency of the project',
};

const RUNTIME = 'a runtime library of the conda interpreter';
const CUDA = 'CUDA: the wheels bring their own CUDA runtime';
const BUILD = 'a compiler or build tool (install it with the system package manager if a build needs it)';
const NATIVE = 'a native library conda ships (wheels bundle what they need)';

/** Pattern rules, tried in order after the exact table. */
const DROPPED_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/^(?:libgcc|libstdcxx|libgomp|libgfortran|libzlib|libsqlite|liblzma|libffi|libuuid|libnsl|libxcrypt|libcxx|libcxxabi|libexpat|libmpdec)(?:-|$)/, RUNTIME],
  [/^(?:openmp-mutex|libgcc-mutex|ld-impl-.*|libgcc-ng|libstdcxx-ng|libgomp-ng|libgfortran-ng|libgfortran\d.*|tzcode)$/, RUNTIME],
  [/^(?:libblas|libcblas|liblapack|liblapacke|libopenblas|openblas-devel|mkl-.*)$/, 'BLAS/MKL: the wheels bring their own BLAS'],
  [/^(?:cuda-.*|libcu.*|libnv.*|libnpp.*|nvidia-.*|cudnn-.*|nccl-.*|cutensor|cuda\d+|nvcc-.*)$/, CUDA],
  [/^(?:gcc-.*|gxx-.*|gfortran-.*|clang-\d.*|clangxx-.*|ld64.*|cctools.*|sysroot-.*|kernel-headers-.*|compiler-rt.*|llvm-tools|clang-tools|libllvm\d*|libclang-cpp.*|tapi|m2w64-.*|msys2-.*|vs20\d\d-.*|vc\d*-.*)$/, BUILD],
  [/^(?:font-ttf-.*|fonts-.*|fontconfig|freetype|libpng|jpeg|libjpeg-turbo|libtiff|libwebp.*|lcms2|openjpeg|giflib|pixman|harfbuzz|libxml2|libxslt|libiconv|gettext|glib|glib-tools|dbus|libedit|krb5|keyutils|libssh2|libcurl|curl|c-ares|lz4-c|zstd|snappy|libev|libuv|gmp|mpfr|mpc|isl|yaml|libyaml|icu|x264|x265|aom|dav1d|svt-av1|libvpx|lame|openh264|gst-plugins-base|gstreamer|qt|qt-main|qt-webengine|xorg-.*|libx.*|pthread-stubs|tbb|tbb-devel|libprotobuf|abseil-cpp|re2|grpc-cpp|aws-.*|s2n|orc|libthrift|libutf8proc|libbrotli.*|brotli-bin|libarrow.*|libparquet)$/, NATIVE],
];

// Python packages named `lib*` that the mapping does not know (it knows librosa, libcst and the like).
const PYTHON_LIBS = new Set(['libarchive-c', 'libvirt-python', 'liblinear', 'libretranslate']);

/** `record[key]` for the record's own keys only: a package called `constructor` is not Object's. */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Why a conda package is not carried over, or undefined when it is a Python or system package. */
export function dropReason(condaName: string): string | undefined {
  const name = normalizeName(condaName).replace(/^-+/, ''); // `_libgcc_mutex`, `_openmp_mutex`
  const exact = own(DROPPED, name);
  if (exact) return exact;
  // The patterns below are for libraries and tools: a package the mapping knows as Python (`cuda-python`) is kept.
  const pypi = pypiMapping(name);
  if (pypi) return undefined;
  for (const [pattern, reason] of DROPPED_PATTERNS) if (pattern.test(name)) return reason;
  // `lib*` on conda is a C/C++ library, apart from a few Python packages named so.
  if (/^lib/.test(name) && !PYTHON_LIBS.has(name) && !own(SYSTEM_PACKAGES, name)) return NATIVE;
  if (/^(?:r|r-base|r-.+|bioconductor-.+|rstudio)$/.test(name)) return 'an R package (R is not migrated)';
  return undefined;
}

/** Non-Python tools with a Debian/Ubuntu package: the Dockerfile installs these with apt-get. */
export const SYSTEM_PACKAGES: Readonly<Record<string, string>> = {
  ffmpeg: 'ffmpeg',
  git: 'git',
  'git-lfs': 'git-lfs',
  graphviz: 'graphviz',
  nodejs: 'nodejs',
  openjdk: 'default-jdk',
  gdal: 'gdal-bin',
  libgdal: 'libgdal-dev',
  geos: 'libgeos-dev',
  proj: 'proj-bin',
  portaudio: 'portaudio19-dev',
  libsndfile: 'libsndfile1',
  hdf5: 'libhdf5-dev',
  poppler: 'poppler-utils',
  tesseract: 'tesseract-ocr',
  pandoc: 'pandoc',
  imagemagick: 'imagemagick',
  cairo: 'libcairo2-dev',
  sox: 'sox',
  wget: 'wget',
  unzip: 'unzip',
  p7zip: 'p7zip-full',
  postgresql: 'postgresql-client',
  libpq: 'libpq-dev',
  'mysql-client': 'default-mysql-client',
  redis: 'redis-server',
  openmpi: 'libopenmpi-dev',
  mpich: 'libmpich-dev',
  fftw: 'libfftw3-dev',
  suitesparse: 'libsuitesparse-dev',
  boost: 'libboost-all-dev',
  'boost-cpp': 'libboost-all-dev',
  eigen: 'libeigen3-dev',
  doxygen: 'doxygen',
  libspatialindex: 'libspatialindex-dev',
  'libjpeg-turbo-bin': 'libjpeg-turbo-progs',
  espeak: 'espeak',
  'espeak-ng': 'espeak-ng',
  lapack: 'liblapack-dev',
  swig: 'swig',
  vim: 'vim',
  ripgrep: 'ripgrep',
  jq: 'jq',
  gawk: 'gawk',
  fzf: 'fzf',
  gh: 'gh',
  'git-annex': 'git-annex',
  cdo: 'cdo',
  nco: 'nco',
  // Bioinformatics command-line tools (bioconda) that Debian packages.
  samtools: 'samtools',
  bcftools: 'bcftools',
  htslib: 'libhts-dev',
  bwa: 'bwa',
  bowtie2: 'bowtie2',
  blast: 'ncbi-blast+',
  hmmer: 'hmmer',
  hhsuite: 'hhsuite',
  kalign2: 'kalign',
  minimap2: 'minimap2',
  bedtools: 'bedtools',
  mafft: 'mafft',
  iqtree: 'iqtree',
  raxml: 'raxml',
  vcftools: 'vcftools',
  fasttree: 'fasttree',
  muscle: 'muscle',
  ants: 'ants',
};

/** The Debian package for a conda system tool, when it is one. */
export function systemPackage(condaName: string): string | undefined {
  return own(SYSTEM_PACKAGES, normalizeName(condaName));
}

/** The PyPI name of a conda package (normalized). */
export function pypiName(condaName: string): string {
  return pypiMapping(condaName) ?? normalizeName(condaName);
}

/** Development tools and their export-only helpers: they go to `[dependency-groups] dev`. */
const DEV_TOOLS = new Set([
  'pytest', 'pluggy', 'iniconfig', 'mypy', 'mypy-extensions', 'ruff', 'black', 'flake8', 'pyflakes', 'pycodestyle',
  'mccabe', 'isort', 'pre-commit', 'coverage', 'ipython', 'ipykernel', 'jupyter', 'jupyterlab', 'notebook',
  'pylint', 'tox', 'nox', 'hypothesis', 'autopep8', 'yapf', 'bandit', 'codecov', 'pydocstyle', 'nbqa',
]);

export function isDevTool(pypi: string): boolean {
  return DEV_TOOLS.has(pypi) || /^(?:pytest|flake8|types)-/.test(pypi);
}

/**
 * PyPI packages whose setup.py imports torch and compiles extensions against it when no wheel fits (PyPI has
 * sdists only for most of them). Built in uv's isolated build env they would get whatever torch resolves
 * there, not the project's, and fail at import time: env-to-pyproject gives them the project's torch.
 */
const BUILDS_AGAINST_TORCH = new Set([
  'flash-attn', 'torch-scatter', 'torch-sparse', 'torch-cluster', 'torch-spline-conv', 'pytorch3d',
  'deepspeed', 'xformers', 'mamba-ssm', 'causal-conv1d',
]);

export function buildsAgainstTorch(pypi: string): boolean {
  return BUILDS_AGAINST_TORCH.has(normalizeName(pypi));
}

/** Console scripts installed by well-known distributions (for `uv run X` in Makefiles, CI and docs). */
const CONSOLE_SCRIPTS: Readonly<Record<string, readonly string[]>> = {
  uvicorn: ['uvicorn'],
  gunicorn: ['gunicorn'],
  alembic: ['alembic'],
  celery: ['celery'],
  flask: ['flask'],
  fastapi: ['fastapi'],
  django: ['django-admin'],
  pytest: ['pytest', 'py.test'],
  mypy: ['mypy'],
  ruff: ['ruff'],
  black: ['black'],
  flake8: ['flake8'],
  isort: ['isort'],
  'pre-commit': ['pre-commit'],
  coverage: ['coverage'],
  ipython: ['ipython'],
  jupyter: ['jupyter'],
  jupyterlab: ['jupyter', 'jupyter-lab'],
  notebook: ['jupyter', 'jupyter-notebook'],
  pylint: ['pylint'],
  tox: ['tox'],
  nox: ['nox'],
  streamlit: ['streamlit'],
  dvc: ['dvc'],
  mlflow: ['mlflow'],
  snakemake: ['snakemake'],
  sphinx: ['sphinx-build'],
  mkdocs: ['mkdocs'],
  'dagster': ['dagster'],
  'huggingface-hub': ['huggingface-cli'],
  tensorboard: ['tensorboard'],
  wandb: ['wandb'],
};

export function consoleScriptsOf(pypi: string): readonly string[] {
  return own(CONSOLE_SCRIPTS, pypi) ?? [];
}
