/**
 * Demo datasets of the demo city: catalog entries plus seeded, reproducible synthetic data with deliberate,
 * counted dirt and cross-source conflicts, for the seed step, the quality pages, the tests and the benches.
 *
 *   const files = await generateDemoDatasets({ outDir, population: 1_000_000 });
 *   for (const def of DEMO_DATASETS) …create def.content as def.orgKey's entry, then load files[def.key].path…
 */
import path from "node:path";
import type { EntryContent } from "../../modules/catalog/index.ts";
import { demoEntryContents, DEMO_DATASET_KEYS, type DemoDatasetKey } from "./entries.ts";
import { expectedConflicts, resolveOptions, type DemoDataOptions, type ExpectedDirt } from "./dirt.ts";
import {
  DATASET_GENERATORS, DemoDataContext, expectedDirt, generateDataset,
  type DemoEncoding, type DemoFileFormat, type GeneratedDataset,
} from "./generate.ts";

export { DEMO_DATASET_KEYS, demoEntryContents, type DemoDatasetKey } from "./entries.ts";
export {
  DEMO_AUTHORITATIVE_SOURCES, DEMO_DATA_DEFAULTS, DIRT_RATES, expectedConflicts, insuranceRows, resolveOptions,
  type DemoDataOptions, type DirtKind, type ExpectedConflict, type ExpectedDirt, type ResolvedDemoDataOptions,
} from "./dirt.ts";
export { DemoDataContext, busStops, expectedDirt, generateDataset, type DemoEncoding, type DemoFileFormat, type GeneratedDataset } from "./generate.ts";
export { FIXTURE_DATASET, writeSmallGbkCsv, type FixtureRowError, type SmallCsvResult } from "./fixtures.ts";

export interface DemoDatasetDefinition {
  key: DemoDatasetKey;
  /** Provider: an organisation key of src/demo/data.ts (the seed creates it as `org_<key>`). */
  orgKey: string;
  /** Suggested 信息资源代码 (class code / sequence 9000xx, clear of the generated catalog's sequences). */
  code: string;
  /** The catalog entry, valid against `EntryContent` and the catalog rules. */
  content: EntryContent;
  /** File name under the output directory. */
  fileName(format?: DemoFileFormat): string;
  defaultEncoding: DemoEncoding;
  /** Exact dirt for these options. */
  expectedDirt(options?: DemoDataOptions): ExpectedDirt[];
  /** Writes the data file with an open context (shared base tables are built once per context). */
  generate(ctx: DemoDataContext, file: string, opts?: { format?: DemoFileFormat; encoding?: DemoEncoding }): Promise<Omit<GeneratedDataset, "conflicts">>;
}

/** The demo datasets of a city (default 江城市). */
export function demoDatasets(cityName?: string): DemoDatasetDefinition[] {
  const contents = demoEntryContents(cityName);
  return DEMO_DATASET_KEYS.map((key) => ({
    key,
    orgKey: contents[key].orgKey,
    code: contents[key].code,
    content: contents[key].content,
    fileName: (format: DemoFileFormat = "csv") => `${key}.${format}`,
    defaultEncoding: DATASET_GENERATORS[key].defaultEncoding,
    expectedDirt: (options?: DemoDataOptions) => expectedDirt(key, options),
    generate: (ctx, file, opts) => generateDataset(ctx, key, file, opts),
  }));
}

/** The demo datasets of the default city. */
export const DEMO_DATASETS: DemoDatasetDefinition[] = demoDatasets();

/**
 * Generates the demo datasets into `outDir` (`<key>.csv` or `.parquet`) in one DuckDB session. `only` limits the
 * datasets (their shared base tables are still built as needed). Same options → byte-identical CSV files.
 */
export async function generateDemoDatasets(
  options: DemoDataOptions & {
    outDir: string;
    only?: DemoDatasetKey[];
    format?: DemoFileFormat;
    /** Per dataset; default UTF-8 except 公交客流 (GBK, as a department's spreadsheet export). */
    encoding?: Partial<Record<DemoDatasetKey, DemoEncoding>>;
    threads?: number;
    memoryLimit?: string;
    onProgress?(key: DemoDatasetKey, done: GeneratedDataset): void;
  },
): Promise<Record<DemoDatasetKey, GeneratedDataset>> {
  const o = resolveOptions(options);
  const conflicts = expectedConflicts(o);
  const keys = options.only ?? [...DEMO_DATASET_KEYS];
  const ctx = await DemoDataContext.open({ ...o, threads: options.threads, memoryLimit: options.memoryLimit });
  const out: Partial<Record<DemoDatasetKey, GeneratedDataset>> = {};
  try {
    for (const key of keys) {
      const format = options.format ?? "csv";
      const r = await generateDataset(ctx, key, path.join(options.outDir, `${key}.${format}`), { format, encoding: options.encoding?.[key] });
      const done: GeneratedDataset = { ...r, conflicts: conflicts.filter((c) => c.dataset === key || c.against === key) };
      out[key] = done;
      options.onProgress?.(key, done);
    }
  } finally {
    await ctx.close();
  }
  return out as Record<DemoDatasetKey, GeneratedDataset>;
}

