// Types for scripts/conda-pypi-table.mjs, which test/conda-pypi-table.test.ts imports.
export interface Table {
  renamed: Record<string, string>;
  noPython: string[];
  same: string[];
}
export type Mappings = Record<string, Record<string, string[] | null>>;
export const TABLE_PATH: string;
export const CHANNELS: string[];
export function findParselmouth(): string | undefined;
export function normalize(name: string): string;
export function chooseDistribution(condaName: string, distributions: string[]): string;
export function deriveTable(mappings: Mappings): Table;
export function readMappings(dir: string): Mappings;
export function upstreamCommit(dir: string): string;
export function renderTable(table: Table, commit: string): string;
