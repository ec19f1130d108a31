import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { createPlatform, type Platform } from "../app.ts";
import type { Config } from "../core/config.ts";
import { DomainError } from "../core/errors.ts";
import { DEMO_PASSWORD, seedDemo } from "./seed.ts";
import { Role, type Actor } from "../modules/policy/index.ts";

const program = new Command();
program.name("gongshu").description("公数 Gongshu — 公共数据资源开发利用平台 / public data platform").version("0.1.0");

function common(cmd: Command) {
  return cmd
    .option("--data-dir <dir>", "data folder (PGlite, lake, keys); env GONGSHU_DATA_DIR")
    .option("--database-url <url>", "PostgreSQL server instead of embedded PGlite; env DATABASE_URL");
}
function overrides(o: { dataDir?: string; databaseUrl?: string; port?: string; demo?: boolean }): Partial<Config> {
  const r: Partial<Config> = {};
  if (o.dataDir) r.dataDir = path.resolve(o.dataDir);
  if (o.databaseUrl) r.databaseUrl = o.databaseUrl;
  if (o.port) r.port = Number(o.port);
  if (o.demo) r.demo = true;
  return r;
}

async function withPlatform<T>(o: Parameters<typeof overrides>[0], fn: (p: Platform) => Promise<T>): Promise<T> {
  const p = await createPlatform({ logLevel: "warn", ...overrides(o) });
  try {
    return await fn(p);
  } finally {
    await p.close();
  }
}

async function ensureAdminFromEnv(p: Platform) {
  const { adminUsername, adminPassword } = p.config;
  if (!adminUsername || !adminPassword) return;
  const users = await p.services.identity.listUsers();
  if (users.some((u) => u.username === adminUsername)) return;
  const orgs = await p.services.identity.listOrgs();
  const org = orgs.find((o) => o.kind === "city") ?? (await p.services.identity.createOrg({ name: "数据管理部门", kind: "city" }));
  await p.services.identity.createUser({ username: adminUsername, displayName: "平台管理员", orgId: org.id, roles: ["platform_admin"], password: adminPassword });
  p.log.info({ username: adminUsername }, "admin created from environment");
}

common(program.command("serve").description("start the platform: API, web UI and jobs"))
  .option("--port <port>", "HTTP port (default 8080); env PORT")
  .option("--demo", "load the demo city when the database is empty (env GONGSHU_DEMO=1)")
  .action(async (o) => {
    const p = await createPlatform(overrides(o));
    await ensureAdminFromEnv(p);
    const counts = await p.services.identity.counts();
    if (p.config.demo && counts.orgs === 0) {
      p.log.info("empty database: loading the demo city (江城市)…");
      const r = await seedDemo(p, { progress: true });
      p.log.info(r, "demo city loaded");
    }
    const app = await p.http();
    let closing = false;
    const shutdown = async (sig: string) => {
      if (closing) return;
      closing = true;
      p.log.info({ sig }, "shutting down");
      const t = setTimeout(() => process.exit(1), 10_000);
      t.unref();
      await app.close();
      await p.close();
      process.exit(0);
    };
    process.on("SIGINT", () => void shutdown("SIGINT"));
    process.on("SIGTERM", () => void shutdown("SIGTERM"));
    await app.listen({ port: p.config.port, host: p.config.host });
    const url = `http://localhost:${(app.server.address() as { port: number }).port}`;
    const lines = [`公数 Gongshu 已启动 / running: ${url}`, `API 文档 / docs: ${url}/api/docs`];
    if (p.config.demo) lines.push(`示范账号 / demo users: admin, officer_<部门> … password: ${DEMO_PASSWORD}`);
    process.stdout.write(`\n${lines.join("\n")}\n\n`);
  });

common(program.command("migrate").description("run every module's database migrations")).action(async (o) => {
  await withPlatform(o, async () => {
    process.stdout.write("migrations: up to date\n");
  });
});

common(program.command("seed").description("load the demo city into an empty database"))
  .option("--entries <n>", "number of catalog entries", "2000")
  .option("--seed <n>", "random seed", "20261123")
  .option("--population <n>", "rows of the demo population base (人口库); env GONGSHU_DEMO_POPULATION", "")
  .option("--no-datasets", "catalog only: do not generate and load the demo datasets")
  .action(async (o) => {
    await withPlatform(o, async (p) => {
      if ((await p.services.identity.counts()).orgs > 0) throw new Error("the database is not empty; seed only loads into an empty one");
      const r = await seedDemo(p, {
        entries: Number(o.entries), seed: Number(o.seed), progress: true, datasets: o.datasets !== false,
        ...(o.population ? { population: Number(o.population) } : {}),
      });
      process.stdout.write(`${JSON.stringify(r)}\n`);
    });
  });

const admin = program.command("admin").description("administration");
common(admin.command("create").description("create a platform admin (the first admin of a new installation)"))
  .requiredOption("--username <name>")
  .option("--password <pw>", "password (or env GONGSHU_ADMIN_PASSWORD); at least 10 characters")
  .option("--org <name>", "organisation name", "数据管理部门")
  .action(async (o) => {
    const password = o.password ?? process.env.GONGSHU_ADMIN_PASSWORD;
    if (!password) throw new Error("give --password or GONGSHU_ADMIN_PASSWORD");
    await withPlatform(o, async (p) => {
      const orgs = await p.services.identity.listOrgs();
      const org = orgs.find((x) => x.name === o.org) ?? (await p.services.identity.createOrg({ name: o.org, kind: "city" }));
      const u = await p.services.identity.createUser({ username: o.username, displayName: "平台管理员", orgId: org.id, roles: ["platform_admin"], password });
      process.stdout.write(`created admin ${u.username} (${u.org.name})\n`);
    });
  });

async function actorFor(p: Platform, username: string): Promise<Actor> {
  const u = (await p.services.identity.listUsers()).find((x) => x.username === username);
  if (!u) throw new Error(`no user ${username}`);
  return { kind: "user", userId: u.id, username: u.username, displayName: u.displayName, orgId: u.org.id, roles: u.roles.map((r) => Role.parse(r)), via: "token" };
}

const catalogCmd = program.command("catalog").description("catalog import and export");
common(catalogCmd.command("import <file>").description("import a catalog file (xlsx template or CSV in UTF-8/GBK) as a data officer"))
  .requiredOption("--as <username>", "the importing data officer")
  .option("--skip-bad-rows", "import the good rows even if some are bad")
  .option("--submit", "submit the imported entries for review")
  .action(async (file, o) => {
    await withPlatform(o, async (p) => {
      const actor = await actorFor(p, o.as);
      const r = await p.services.transfer.importFile(actor, fs.readFileSync(file), { filename: path.basename(file), skipBadRows: !!o.skipBadRows, submit: !!o.submit });
      process.stdout.write(`imported ${r.imported} entries; skipped ${r.skipped} bad rows\n`);
      for (const e of r.errors) process.stdout.write(`  第 ${e.row} 行「${e.column}」: ${e.message}\n`);
    });
  });
common(catalogCmd.command("export").description("export the published catalog"))
  .requiredOption("--out <file>", "output file (.xlsx or .csv)")
  .option("--encoding <enc>", "CSV encoding: utf-8 or gbk", "utf-8")
  .action(async (o) => {
    await withPlatform(o, async (p) => {
      const format = o.out.endsWith(".csv") ? "csv" : "xlsx";
      const f = await p.services.transfer.exportEntries({ kind: "anonymous" }, { sort: "published_desc" } as never, format, o.encoding);
      fs.writeFileSync(o.out, f.buf);
      process.stdout.write(`wrote ${o.out} (${f.buf.length} bytes)\n`);
    });
  });

program
  .command("verify")
  .description("verify the ledger checkpoint and the inclusion proofs of the published catalog, offline or against a server")
  .option("--url <url>", "a running Gongshu, e.g. http://localhost:8080")
  .option("--bundle <file>", "an offline proof bundle (JSON from /api/catalog/ledger-bundle)")
  .option("--vkey <file...>", "pinned verifier key files (vkey lines); default: the keys in the bundle")
  .option("--previous <file>", "a checkpoint saved earlier: also check the log only grew since")
  .option("--local", "build the bundle from the local database (data dir / DATABASE_URL)")
  .option("--data-dir <dir>")
  .option("--database-url <url>")
  .option("--json", "machine-readable output")
  .action(async (o) => {
    const { runVerify } = await import("./verify.ts");
    let bundleFile: string | undefined = o.bundle;
    if (o.local) {
      bundleFile = await withPlatform(o, async (p) => {
        const b = await p.services.ledger.bundle(await p.services.catalog.ledgeredRecords());
        const f = path.join(fs.mkdtempSync(path.join((await import("node:os")).tmpdir(), "gongshu-verify-")), "bundle.json");
        fs.writeFileSync(f, JSON.stringify(b));
        return f;
      });
    }
    process.exitCode = await runVerify({ bundleFile, url: bundleFile ? undefined : o.url, vkeyFiles: o.vkey, previousCheckpointFile: o.previous, json: o.json });
  });

(await import("./ingest.ts")).registerIngestCommands(program);
(await import("./trace.ts")).registerTraceCommand(program);

program.parseAsync(process.argv).catch((err) => {
  if (err instanceof DomainError) process.stderr.write(`错误 / error: ${err.messageZh} / ${err.messageEn}${err.field ? ` [${err.field}]` : ""}\n`);
  else process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
