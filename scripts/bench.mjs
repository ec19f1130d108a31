#!/usr/bin/env node
// Runs one benchmark: `npm run bench -- NAME [args]` → `node --import tsx bench/NAME.ts [args]`.
// Without a name, lists the benchmarks in bench/. The benchmark's exit code is passed through.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const benchDir = path.join(root, "bench");
const available = fs.existsSync(benchDir)
  ? fs.readdirSync(benchDir).filter((f) => f.endsWith(".ts") && !f.startsWith("_")).map((f) => f.slice(0, -3)).sort()
  : [];

const [name, ...rest] = process.argv.slice(2);
if (!name || name === "--help" || name === "-h") {
  process.stdout.write(`usage: npm run bench -- NAME [args]\nbenchmarks: ${available.join(", ") || "(none)"}\n`);
  process.exit(name ? 0 : 2);
}
if (!available.includes(name)) {
  process.stderr.write(`unknown benchmark "${name}"; available: ${available.join(", ") || "(none)"}\n`);
  process.exit(2);
}
const r = spawnSync(process.execPath, ["--import", "tsx", path.join(benchDir, `${name}.ts`), ...rest], { cwd: root, stdio: "inherit", env: process.env });
if (r.error) {
  process.stderr.write(`${r.error.message}\n`);
  process.exit(1);
}
process.exit(r.status ?? (r.signal ? 1 : 0));
