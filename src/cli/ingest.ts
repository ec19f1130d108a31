import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { createPlatform, type Platform } from "../app.ts";
import type { Config } from "../core/config.ts";
import { progressBar } from "./progress.ts";
import { Role, type Actor } from "../modules/policy/index.ts";
import type { ValidationReport } from "../modules/ingest/index.ts";

/**
 * `gongshu ingest …`: load a file into a catalog entry's dataset (a job with a progress bar; the row
 * errors printed), list versions, roll back, diff two versions. Acts as the given user (--as).
 */
function common(cmd: Command) {
  return cmd
    .option("--data-dir <dir>", "data folder (PGlite, lake, keys); env GONGSHU_DATA_DIR")
    .option("--database-url <url>", "PostgreSQL server instead of embedded PGlite; env DATABASE_URL")
    .requiredOption("--entry <code|id>", "the catalog entry (resource code like 101001/000001, or its id)")
    .requiredOption("--as <username>", "act as this user (a data officer of the provider, or an admin)");
}

async function withPlatform<T>(o: { dataDir?: string; databaseUrl?: string }, fn: (p: Platform) => Promise<T>): Promise<T> {
  const over: Partial<Config> = { logLevel: "warn" };
  if (o.dataDir) over.dataDir = path.resolve(o.dataDir);
  if (o.databaseUrl) over.databaseUrl = o.databaseUrl;
  const p = await createPlatform(over);
  try {
    return await fn(p);
  } finally {
    await p.close();
  }
}

async function actorFor(p: Platform, username: string): Promise<Actor> {
  const u = (await p.services.identity.listUsers()).find((x) => x.username === username);
  if (!u) throw new Error(`no user ${username}`);
  return { kind: "user", userId: u.id, username: u.username, displayName: u.displayName, orgId: u.org.id, roles: u.roles.map((r) => Role.parse(r)), via: "token" };
}

/** An entry id from a resource code (published entries) or an id. */
async function entryIdOf(p: Platform, ref: string): Promise<string> {
  if (!ref.includes("/")) return ref;
  const hit = (await p.services.search.responsibilityList()).find((e: { code: string }) => e.code === ref) as { id: string } | undefined;
  if (!hit) throw new Error(`no published catalog entry with code ${ref}`);
  return hit.id;
}

async function datasetOf(p: Platform, ref: string): Promise<string> {
  const ds = await p.services.ingest.datasetForEntry(await entryIdOf(p, ref));
  if (!ds) throw new Error(`entry ${ref} has no dataset yet (load a file first)`);
  return ds.id;
}

function printReport(r: ValidationReport | null | undefined) {
  if (!r) return;
  const out = process.stdout;
  out.write(`rows: ${r.totalRows} total, ${r.goodRows} good, ${r.badRows} bad (${r.format}${r.encoding ? `, ${r.encoding}` : ""}${r.delimiter ? `, delimiter ${JSON.stringify(r.delimiter)}` : ""})\n`);
  for (const c of r.counts) out.write(`  ${c.column || "(整行)"} ${c.code}: ${c.count}\n`);
  for (const e of r.errors) out.write(`  第 ${e.row} 行「${e.column}」: ${e.message}${e.value !== undefined ? `（${e.value}）` : ""}\n`);
  if (r.truncated) out.write(`  … (only the first ${r.errors.length} errors are listed)\n`);
}

export function registerIngestCommands(program: Command) {
  const cmd = program.command("ingest").description("load data into catalog entries (归集): versions, rollback, diff");

  common(cmd.command("load <file>").description("load a CSV (UTF-8/GBK), XLSX, JSON/NDJSON or Parquet file as the entry's new version"))
    .option("--skip-bad-rows", "load the good rows even if some are bad (default: refuse the whole file)")
    .action(async (file: string, o) => {
      await withPlatform(o, async (p) => {
        const actor = await actorFor(p, o.as);
        const entryId = await entryIdOf(p, o.entry);
        const size = fs.statSync(file).size;
        const started = p.services.ingest.loadFile(actor, { entryId, path: file, filename: path.basename(file), mode: o.skipBadRows ? "skipBadRows" : "all-or-nothing", wait: true });
        // Follow the job as the web UI does: its phase and progress, on a bar.
        let bar: ReturnType<typeof progressBar> | null = null;
        let phase = "";
        let done = false;
        const follow = (async () => {
          while (!done) {
            await new Promise((r) => setTimeout(r, 200));
            const jobs = await p.services.ingest.myJobs(actor, { limit: 1 });
            const j = jobs[0];
            if (!j || j.status !== "running") continue;
            if (j.phase !== phase) {
              bar?.stop();
              phase = j.phase ?? "";
              bar = progressBar(`${path.basename(file)} ${phase}`, j.progress.total ?? 100);
            }
            bar?.update(j.progress.done);
          }
        })();
        const r = await started.finally(() => {
          done = true;
        });
        await follow;
        (bar as ReturnType<typeof progressBar> | null)?.stop();
        const job = r.job;
        const res = (job.result ?? {}) as { version?: number; rowCount?: number; report?: ValidationReport; details?: { report?: ValidationReport }; scoring?: string };
        if (job.status === "succeeded") {
          process.stdout.write(`loaded ${res.rowCount} rows of ${path.basename(file)} (${size} bytes) as version ${res.version} of dataset ${r.datasetId}; quality scoring: ${res.scoring}\n`);
          printReport(res.report);
        } else {
          process.stderr.write(`错误 / error: ${job.error?.message} / ${job.error?.messageEn}\n`);
          printReport(res.details?.report);
          process.exitCode = 1;
        }
      });
    });

  common(cmd.command("versions").description("list the dataset's versions")).action(async (o) => {
    await withPlatform(o, async (p) => {
      const actor = await actorFor(p, o.as);
      const v = await p.services.ingest.versions(actor, await datasetOf(p, o.entry));
      for (const x of v.items)
        process.stdout.write(`${x.current ? "*" : " "} v${x.version}  ${x.rowCount} rows  ${x.kept ? "kept" : "removed"}  ${x.createdAt}  ${x.source}  ${x.digest}\n`);
    });
  });

  common(cmd.command("rollback").description("make an older kept version current again"))
    .requiredOption("--to <n>", "the version to make current")
    .option("--reason <text>", "why")
    .action(async (o) => {
      await withPlatform(o, async (p) => {
        const actor = await actorFor(p, o.as);
        const ds = await p.services.ingest.rollback(actor, await datasetOf(p, o.entry), Number(o.to), o.reason);
        process.stdout.write(`dataset ${ds.id}: current version is now v${ds.currentVersion}\n`);
      });
    });

  common(cmd.command("diff").description("rows added, removed and changed between two versions, by key"))
    .requiredOption("--from <n>")
    .requiredOption("--to <n>")
    .option("--limit <n>", "examples of each kind", "10")
    .action(async (o) => {
      await withPlatform(o, async (p) => {
        const actor = await actorFor(p, o.as);
        const d = await p.services.ingest.diff(actor, await datasetOf(p, o.entry), Number(o.from), Number(o.to), Number(o.limit));
        process.stdout.write(`v${d.from} → v${d.to} by ${d.key.join("+")}: ${d.added} added, ${d.removed} removed, ${d.changed} changed, ${d.unchanged} unchanged\n`);
        for (const c of d.examples.changed) process.stdout.write(`  ~ ${JSON.stringify(c.key)}: ${c.columns.map((x) => `${x.column} ${JSON.stringify(x.before)} → ${JSON.stringify(x.after)}`).join("; ")}\n`);
        for (const a of d.examples.added) process.stdout.write(`  + ${d.key.map((k) => a[k]).join("+")}\n`);
        for (const r of d.examples.removed) process.stdout.write(`  - ${d.key.map((k) => r[k]).join("+")}\n`);
      });
    });
}
