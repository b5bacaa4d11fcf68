// The conda -> PyPI table: the choice rule for noisy entries, the shipped table against parselmouth's
// data (skipped without shared/ beside the repository), and the overrides for what the data cannot know.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PYPI_OVERRIDES, pypiMapping, pypiName, variantBase } from '../codemods/lib/conda/names.js';
import { chooseDistribution, deriveTable, findParselmouth, readMappings, renderTable, TABLE_PATH, upstreamCommit } from '../scripts/conda-pypi-table.mjs';

describe('choosing one distribution from a noisy entry', () => {
  it.each([
    ['msgpack-python', ['msgpack', 'msgpack-python'], 'msgpack'], // the affix-free name first
    ['ray-core', ['aiohttp', 'attrs', 'ray', 'yarl'], 'ray'], // a package that vendors others
    ['py-opencv', ['opencv-python', 'opencv-python-headless'], 'opencv-python'], // no match: the first listed
    ['jaxlib', ['jax-cuda12-pjrt', 'jax-cuda12-plugin', 'jaxlib'], 'jaxlib'], // the conda name itself
    ['ruamel_yaml', ['ruamel.yaml', 'ruamel.yaml.conda'], 'ruamel-yaml'], // compared and returned normalized
  ])('%s %j -> %s', (conda, distributions, expected) => {
    expect(chooseDistribution(conda, distributions)).toBe(expected);
  });
});

describe('deriving the table', () => {
  const table = deriveTable({
    'conda-forge': { pytables: ['tables'], numpy: ['numpy'], boost: null, lightning: ['lightning'], cf_xarray: null, 'cf-xarray': ['cf-xarray'] },
    bioconda: { samtools: null, lightning: ['sklearn-contrib-lightning'], boost: ['boost'] },
  });

  it('sorts every name into renamed, no Python or same name; the first channel that has a name answers for it', () => {
    expect(table.renamed).toEqual({ pytables: 'tables' }); // lightning: conda-forge's, not bioconda's sklearn-contrib-lightning
    expect(table.noPython).toEqual(['boost', 'samtools']); // boost: conda-forge's library, not bioconda's package
    expect(table.same).toEqual(['cf-xarray', 'lightning', 'numpy']); // cf-xarray: the spelling that names a distribution
  });
});

const source = findParselmouth();

describe.skipIf(!source)('the shipped table', () => {
  const mappings = source ? readMappings(source) : {};
  const table = deriveTable(mappings);

  it('is what `npm run table` derives from the data, with its licence beside it', () => {
    expect(readFileSync(TABLE_PATH, 'utf8')).toBe(renderTable(table, upstreamCommit(source!)));
    expect(readFileSync(new URL('../codemods/lib/conda/parselmouth-LICENSE', import.meta.url), 'utf8')).toBe(readFileSync(`${source}/LICENSE`, 'utf8'));
  });

  it('answers every name as the data does, where no override says otherwise', () => {
    const wrong: string[] = [];
    const check = (name: string, expected: string | null) => {
      if (!PYPI_OVERRIDES.has(name) && pypiMapping(name) !== expected) wrong.push(`${name}: ${pypiMapping(name)} instead of ${expected}`);
    };
    for (const [conda, pypi] of Object.entries(table.renamed)) check(conda, pypi);
    for (const name of table.noPython) check(name, null);
    for (const name of table.same) check(name, name);
    expect(wrong).toEqual([]);
    expect(table.same.length + table.noPython.length).toBeGreaterThan(40_000);
  });

  it('holds no override the data already gives', () => {
    const data = new Map<string, string | null>([
      ...Object.entries(table.renamed),
      ...table.noPython.map((n): [string, null] => [n, null]),
      ...table.same.map((n): [string, string] => [n, n]),
    ]);
    for (const [conda, pypi] of PYPI_OVERRIDES) expect(data.get(conda), conda).not.toBe(pypi);
  });

  it('maps the renamed conda packages of the issue and knows the ones without Python', () => {
    expect(pypiName('pytables')).toBe('tables');
    expect(pypiName('msgpack-python')).toBe('msgpack');
    expect(pypiMapping('samtools')).toBeNull();
    expect(pypiMapping('libopenblas')).toBeNull();
    expect(pypiMapping('numpy')).toBe('numpy');
    expect(pypiMapping('no-such-conda-package-anywhere')).toBeUndefined();
  });
});

describe('overrides: what the data gets wrong or cannot know', () => {
  it.each([
    ['pytorch-gpu', 'torch'], // a metapackage: no files of its own
    ['tensorflow-gpu', 'tensorflow'],
    ['pyarrow-all', 'pyarrow'],
    ['opencv', 'opencv-python'],
    ['vtk', 'vtk'],
    ['numpy-base', 'numpy'], // the defaults channel only
    ['faiss', 'faiss-cpu'], // C++ library with bindings: never PyPI's unrelated `faiss`
    ['faiss-gpu', 'faiss-gpu'],
    ['torchvision-cpu', 'torchvision'], // the pytorch channel's CPU build; conda-forge's name ships nothing
    ['py-spy', 'py-spy'], // a binary conda builds from source, a wheel on PyPI
    ['iris', 'scitools-iris'],
    ['jupyterhub-singleuser', 'jupyterhub'],
    ['magics', null], // the C++ library, not PyPI's Magics (magics-python's bindings, versioned apart)
    ['qgis', null], // an application: not the `future` it bundles
    ['lollipop', null], // bioconda's tool, not PyPI's unrelated namesake
  ])('%s -> %s', (conda, pypi) => {
    expect(pypiMapping(conda)).toBe(pypi);
  });

  it('looks up a variant neither knows (`X-minimal`, `X-cuda11.1`, `X-gpu`) as X', () => {
    expect(pypiMapping('pandas-minimal')).toBe('pandas');
    expect(pypiMapping('dgl-cuda11.1')).toBe('dgl');
    expect(variantBase('dgl-cuda11.1')).toBe('dgl');
    expect(variantBase('tensorflow-gpu')).toBeUndefined(); // an override knows it
    expect(variantBase('snakemake-minimal')).toBeUndefined(); // the data knows it
    expect(pypiMapping('no-such-package-minimal')).toBeUndefined();
  });
});
