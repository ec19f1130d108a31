#!/usr/bin/env node
// Runs every test: node's test runner over explicit file lists (Node 20 does not find .ts tests).
// Unit and HTTP tests run on embedded PGlite, and again on PostgreSQL when GONGSHU_TEST_PG_URL is
// set; browser tests (test/e2e) run once. Flags: --unit (skip e2e), --e2e (only e2e), --pg-only.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const args = new Set(process.argv.slice(2));

function find(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "node_modules") find(p, out);
    } else if (/\.test\.ts$/.test(e.name)) out.push(path.relative(root, p));
  }
  return out;
}

const all = [...find(path.join(root, "src")), ...find(path.join(root, "test"))].sort();
const e2e = all.filter((f) => f.startsWith("test/e2e/") || f.includes(".e2e."));
const unit = all.filter((f) => !e2e.includes(f));

function run(label, files, env) {
  if (!files.length) return 0;
  process.stdout.write(`\n=== ${label}: ${files.length} test files ===\n`);
  const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", "--test-reporter=spec", ...files], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  return r.status ?? 1;
}

let failed = 0;
const pgUrl = process.env.GONGSHU_TEST_PG_URL;
if (!args.has("--e2e")) {
  if (!args.has("--pg-only")) failed |= run("unit + HTTP on PGlite", unit, { GONGSHU_TEST_DB: "pglite" });
  if (pgUrl) failed |= run("unit + HTTP on PostgreSQL", unit, { GONGSHU_TEST_DB: "postgres" });
  else process.stdout.write("\n(GONGSHU_TEST_PG_URL not set: the PostgreSQL pass is skipped; .ci/run sets it)\n");
}
if (!args.has("--unit") && !args.has("--pg-only")) failed |= run("browser (Playwright + Chromium)", e2e, {});
process.exit(failed ? 1 : 0);
