// What a conda package is on the Python side: its PyPI name, a dev tool, a system package, or
// something uv does not need at all (with the reason, for the report).

/** PEP 503 normalized name: lowercase, runs of `-_.` as one `-`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** A table's own entry: a package named `constructor` or `toString` must not find Object's methods. */
function own(table: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Conda package names whose PyPI distribution has another name. Keys are normalized conda names. */
export const CONDA_TO_PYPI: Readonly<Record<string, string>> = {
  pytorch: 'torch',
  'pytorch-cpu': 'torch',
  'pytorch-gpu': 'torch',
  'pytorch-lightning': 'pytorch-lightning',
  'pytorch-geometric': 'torch-geometric',
  'pytorch-scatter': 'torch-scatter',
  'pytorch-sparse': 'torch-sparse',
  'pytorch-cluster': 'torch-cluster',
  'py-opencv': 'opencv-python',
  opencv: 'opencv-python',
  'libopencv': 'opencv-python',
  'matplotlib-base': 'matplotlib',
  pytables: 'tables',
  'msgpack-python': 'msgpack',
  pyqt: 'pyqt5',
  'pyqt5-sip': 'pyqt5-sip',
  'ruamel-yaml': 'ruamel.yaml',
  'ruamel-yaml-clib': 'ruamel.yaml.clib',
  'dask-core': 'dask',
  'py-xgboost': 'xgboost',
  'py-xgboost-cpu': 'xgboost',
  'py-xgboost-gpu': 'xgboost',
  'python-graphviz': 'graphviz',
  'tensorflow-base': 'tensorflow',
  'tensorflow-gpu': 'tensorflow',
  'tensorflow-cpu': 'tensorflow',
  'typing-extensions': 'typing-extensions',
  'pyarrow-core': 'pyarrow',
  'pyarrow-all': 'pyarrow',
  'seaborn-base': 'seaborn',
  'python-duckdb': 'duckdb',
  'redis-py': 'redis',
  'brotli-python': 'brotli',
  brotlipy: 'brotlipy',
  'pytorch-geometric-temporal': 'torch-geometric-temporal',
  'py-lief': 'lief',
  'py-spy': 'py-spy',
  'py-cpuinfo': 'py-cpuinfo',
  'py-boost': 'boost',
  'python-kaleido': 'kaleido',
  'python-dateutil': 'python-dateutil',
  'python-lmdb': 'lmdb',
  'python-xxhash': 'xxhash',
  'python-blosc': 'blosc',
  'python-levenshtein': 'levenshtein',
  'python-tzdata': 'tzdata',
  'python-fastjsonschema': 'fastjsonschema',
  'python-json-logger': 'python-json-logger',
  'python-flatbuffers': 'flatbuffers',
  'google-cloud-sdk': 'google-cloud',
  'jupyter-core': 'jupyter-core',
  'keras-base': 'keras',
  'lightgbm': 'lightgbm',
  'scikit-learn-intelex': 'scikit-learn-intelex',
  'pillow-simd': 'pillow-simd',
  'torchvision-cpu': 'torchvision',
  'cairo-python': 'pycairo',
  'pycairo': 'pycairo',
  'pygobject': 'pygobject',
  'pyside2': 'pyside2',
  'importlib-metadata': 'importlib-metadata',
  'vtk-base': 'vtk',
  'sentencepiece-python': 'sentencepiece',
  'libsentencepiece': 'sentencepiece',
  'arrow-cpp': 'pyarrow',
  'py-tree': 'dm-tree',
  'dm-tree': 'dm-tree',
  'jax-jumpy': 'jax-jumpy',
  'jaxlib': 'jaxlib',
  'gdal-python': 'gdal',
  'rdkit': 'rdkit',
  'openbabel': 'openbabel-wheel',
  'mysql-connector-python': 'mysql-connector-python',
  'postgresql-python': 'psycopg2',
  'pytest-asyncio': 'pytest-asyncio',
  'harfbuzz-python': 'uharfbuzz',
  'hdf5plugin': 'hdf5plugin',
  'numpy-base': 'numpy',
  'scipy-base': 'scipy',
  'pandas-base': 'pandas',
  'polars-lts-cpu': 'polars-lts-cpu',
  'nodejs-python': 'nodejs-bin',
};

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

const PYTHON_LIBS = new Set(['librosa', 'libcst', 'libsass', 'libclang', 'libarchive-c', 'libtmux', 'libpysal', 'libusb1', 'libvirt-python', 'libsvm', 'liblinear', 'libretranslate']);

/** Why a conda package is not carried over, or undefined when it is a Python or system package. */
export function dropReason(condaName: string): string | undefined {
  const name = normalizeName(condaName).replace(/^-+/, ''); // `_libgcc_mutex`, `_openmp_mutex`
  const exact = own(DROPPED, name);
  if (exact) return exact;
  for (const [pattern, reason] of DROPPED_PATTERNS) if (pattern.test(name)) return reason;
  // `lib*` on conda is a C/C++ library, apart from a few Python packages named so.
  if (/^lib/.test(name) && !PYTHON_LIBS.has(name) && !own(SYSTEM_PACKAGES, name) && !own(CONDA_TO_PYPI, name)) return NATIVE;
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
};

/** The Debian package for a conda system tool, when it is one. */
export function systemPackage(condaName: string): string | undefined {
  return own(SYSTEM_PACKAGES, normalizeName(condaName));
}

/** The PyPI name of a conda package (normalized). */
export function pypiName(condaName: string): string {
  const name = normalizeName(condaName);
  return own(CONDA_TO_PYPI, name) ?? name;
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
  return Object.hasOwn(CONSOLE_SCRIPTS, pypi) ? CONSOLE_SCRIPTS[pypi]! : [];
}
