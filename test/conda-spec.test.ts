import { describe, expect, it } from 'vitest';
import { consoleScriptsOf, dropReason, pypiName, systemPackage, isDevTool } from '../codemods/lib/conda/names.js';
import { acceleratorHint, parseCondaSpec, pythonMinor } from '../codemods/lib/conda/spec.js';

const spec = (raw: string) => {
  const s = parseCondaSpec(raw);
  return [s.channel ?? '', s.name, s.extras ?? '', s.specifier, s.build ?? '', s.note ?? ''].join(' | ');
};

describe('conda match specs', () => {
  it.each([
    ['numpy', ' | numpy |  |  |  | '],
    ['numpy=1.26', ' | numpy |  | ==1.26.* |  | '],
    ['numpy=1.26.4', ' | numpy |  | ==1.26.4 |  | '],
    ['numpy=1.26.4=py311h0_0', ' | numpy |  | ==1.26.4 | py311h0_0 | '],
    ['numpy 1.26.4 py311h0_0', ' | numpy |  | ==1.26.4 | py311h0_0 | '],
    ['numpy==1.26.4', ' | numpy |  | ==1.26.4 |  | '],
    ['numpy >=1.8,<2', ' | numpy |  | >=1.8,<2 |  | '],
    ['numpy 1.2.*', ' | numpy |  | ==1.2.* |  | '],
    ['numpy *', ' | numpy |  |  |  | '],
    ['numpy!=1.2', ' | numpy |  | !=1.2 |  | '],
    ['conda-forge::numpy', 'conda-forge | numpy |  |  |  | '],
    ['sleap/label/dev::tensorflow ==2.7.0', 'sleap/label/dev | tensorflow |  | ==2.7.0 |  | '],
    ["numpy[version='>=1.2',build=py*]", ' | numpy |  | >=1.2 | py* | '],
    ['numpy 1.2|1.4', ' | numpy |  | >=1.2 |  | "numpy 1.2|1.4" has alternatives (|): widened to >=1.2'],
    ['python=3.6*', ' | python |  | ==3.6.* |  | '],
    ['numpy=1|!=0', ' | numpy |  |  |  | "numpy=1|!=0" has alternatives (|) with no common lower bound: left unpinned'],
    ['blas=*=openblas', ' | blas |  |  | openblas | '],
    ['fsspec[http]>=2021.06.1', ' | fsspec | http | >=2021.06.1 |  | '],
    ['python ~=3.7', ' | python |  | ~=3.7 |  | '],
    ['x264=1!157.20191217=h1de35cc_0', ' | x264 |  | ==1!157.20191217 | h1de35cc_0 | '],
    ['r-boot=1.3_20', ' | r-boot |  |  |  | "r-boot=1.3_20": version 1.3_20 is not PEP 440: left unpinned'],
    ['conda-forge::ffmpeg >= 7', 'conda-forge | ffmpeg |  | >=7 |  | '],
    ['python =3.11', ' | python |  | ==3.11.* |  | '],
    ['cudf==25.8.*,>=0.0.0a0', ' | cudf |  | ==25.8.*,>=0.0.0a0 |  | '],
    ['pytorch=2.5.1=cpu_generic_py311h8d4d4a9_0', ' | pytorch |  | ==2.5.1 | cpu_generic_py311h8d4d4a9_0 | '],
  ])('%s', (raw, expected) => {
    expect(spec(raw)).toBe(expected);
  });

  it('refuses text that is no spec', () => {
    expect(() => parseCondaSpec('>=1.2')).toThrow('not a conda package spec: >=1.2');
  });

  it('reads python versions and accelerator hints', () => {
    expect(pythonMinor('==3.11.10')).toBe('3.11');
    expect(pythonMinor('>=3.8')).toBe('3.8');
    expect(pythonMinor('==3.6.*')).toBe('3.6');
    expect(pythonMinor('')).toBeUndefined();
    expect(acceleratorHint('py3.7_cuda11.0.221_cudnn8.0.5_0')).toBe('cu110');
    expect(acceleratorHint('py37_cu110')).toBe('cu110');
    expect(acceleratorHint('2.0.1+cu117')).toBe('cu117');
    expect(acceleratorHint('cpu_generic_py311h8d4d4a9_0')).toBe('cpu');
    expect(acceleratorHint('py311h69ead2a_0')).toBeUndefined();
  });
});

describe('conda names', () => {
  it('a package named like an Object method (conda-store needs `constructor`) is looked up as a name', () => {
    expect(dropReason('constructor')).toBe('conda itself (its installer builder)'); // conda-store: "must be conda installed"
    expect(systemPackage('constructor')).toBeUndefined();
    expect(pypiName('toString')).toBe('tostring');
    expect(isDevTool('constructor')).toBe(false);
    expect(consoleScriptsOf('constructor')).toEqual([]);
  });
  it.each([
    ['pytorch', 'torch'], ['pytorch-cpu', 'torch'], ['py-opencv', 'opencv-python'], ['opencv', 'opencv-python'],
    ['matplotlib-base', 'matplotlib'], ['pytables', 'tables'], ['msgpack-python', 'msgpack'], ['pyqt', 'pyqt5'],
    ['ruamel_yaml', 'ruamel-yaml'], ['dask-core', 'dask'], ['py-xgboost', 'xgboost'], ['python-graphviz', 'graphviz'],
    ['tensorflow-base', 'tensorflow'], ['tensorflow-gpu', 'tensorflow'], ['typing_extensions', 'typing-extensions'],
    ['pyarrow-core', 'pyarrow'], ['seaborn-base', 'seaborn'], ['python-duckdb', 'duckdb'], ['redis-py', 'redis'],
    ['brotli-python', 'brotli'], ['pytorch_geometric', 'torch-geometric'], ['PyYAML', 'pyyaml'], ['Scikit_Learn', 'scikit-learn'],
  ])('%s -> %s', (conda, pypi) => {
    expect(pypiName(conda)).toBe(pypi);
  });
  it('drops conda-only packages with a reason', () => {
    expect(dropReason('python')).toMatch(/interpreter/);
    expect(dropReason('_libgcc_mutex')).toMatch(/runtime library/);
    expect(dropReason('ld_impl_linux-aarch64')).toMatch(/runtime library/);
    expect(dropReason('libstdcxx-ng')).toMatch(/runtime library/);
    expect(dropReason('libopenblas')).toMatch(/BLAS/);
    expect(dropReason('pytorch-cuda')).toMatch(/PyTorch wheel index/);
    expect(dropReason('cuda-cudart')).toMatch(/CUDA/);
    expect(dropReason('gxx_linux-64')).toMatch(/compiler/);
    expect(dropReason('r-base')).toMatch(/R package/);
    expect(dropReason('numpy')).toBeUndefined();
    expect(dropReason('librosa')).toBeUndefined();
    expect(dropReason('librmm')).toMatch(/native library/);
    expect(dropReason('clang-tools')).toMatch(/compiler/);
    expect(dropReason('conda-package-handling')).toBe('conda itself');
  });
  it('keeps what the mapping knows as Python even where a library pattern matches its name', () => {
    expect(dropReason('cuda-python')).toBeUndefined();
    expect(dropReason('nvidia-ml-py')).toBeUndefined();
    expect(dropReason('cuda-nvcc')).toMatch(/CUDA/);
  });
  it('knows system packages and dev tools', () => {
    expect(systemPackage('ffmpeg')).toBe('ffmpeg');
    expect(systemPackage('openjdk')).toBe('default-jdk');
    expect(systemPackage('numpy')).toBeUndefined();
    expect(systemPackage('mafft')).toBe('mafft');
    expect(systemPackage('blast')).toBe('ncbi-blast+');
    expect(isDevTool('pytest-cov')).toBe(true);
    expect(isDevTool('iniconfig')).toBe(true);
    expect(isDevTool('fastapi')).toBe(false);
  });
});

describe('conda specs, generated', () => {
  it('always give a valid PEP 440 specifier set, or none with a note', async () => {
    const fc = (await import('fast-check')).default;
    const { validRange } = await import('@renovatebot/pep440');
    const version = fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.'));
    const op = fc.constantFrom('', '=', '==', '>=', '<=', '>', '<', '!=', '~=');
    const constraint = fc.tuple(op, version, fc.constantFrom('', '.*', '*')).map(([o, v, star]) => `${o}${v}${o === '~=' || o.startsWith('<') || o.startsWith('>') ? '' : star}`);
    const spec = fc.tuple(
      fc.constantFrom('numpy', 'scikit_learn', 'conda-forge::pandas', 'py-opencv'),
      fc.array(constraint, { minLength: 0, maxLength: 3 }),
      fc.constantFrom('', ' ', '|'),
      fc.constantFrom('', '=py311h0_0', ' py311h0_0'),
    ).map(([name, parts, sep, build]) => {
      if (parts.length === 0) return name;
      const body = sep === '|' ? parts.join('|') : parts.join(',');
      return build && parts.length === 1 && /^=?\d/.test(parts[0]!) && !parts[0]!.includes('*') ? `${name}${build.startsWith('=') ? '=' + parts[0]!.replace(/^=+/, '') : ' ' + parts[0]!.replace(/^=+/, '')}${build}` : `${name}${sep === ' ' ? ' ' : ''}${body}`;
    });
    fc.assert(
      fc.property(spec, (raw) => {
        const parsed = parseCondaSpec(raw);
        if (parsed.specifier === '') return true;
        return Boolean(validRange(parsed.specifier));
      }),
      { numRuns: 500 },
    );
  });
});

describe('conda build strings', () => {
  it('a build string with shell or other syntax is an error, never dropped unseen', () => {
    for (const raw of ['pkg >=1.0 $(id)', 'pkg 1.0 `id`', 'pkg=1.0=py311;rm']) expect(() => parseCondaSpec(raw), raw).toThrow(/not a conda build string/);
  });

  it('ordinary build strings and globs still parse', () => {
    expect(parseCondaSpec('numpy=1.26.4=py311h0_0').specifier).toBe('==1.26.4');
    expect(parseCondaSpec('pytorch 2.1.0 *cuda*').specifier).toBe('==2.1.0');
    expect(parseCondaSpec('libfoo=1.0=h1234+abc_0').specifier).toBe('==1.0');
  });
});
