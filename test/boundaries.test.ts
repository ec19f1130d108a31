import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

/**
 * Module boundaries (STYLE.md 1–2), checked over the source text:
 * - a module imports another module only through its index.ts (never its store, service or routes);
 * - `policy`, `ledger` and `protection` import no other domain module (they are called by many, call nothing above them);
 * - core imports no domain module.
 */
const root = path.resolve(import.meta.dirname, "..");
const src = path.join(root, "src");

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.tsx?$/.test(e.name) && !e.name.endsWith(".test.ts") ? [p] : [];
  });
}

const importRe = /(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

test("modules reach each other only through index.ts, and base modules depend on none", () => {
  const problems: string[] = [];
  for (const f of files(src)) {
    const rel = path.relative(src, f);
    const [top, mod] = rel.split(path.sep);
    const text = fs.readFileSync(f, "utf8");
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2];
      if (!spec.startsWith(".")) continue;
      const target = path.relative(src, path.resolve(path.dirname(f), spec));
      const [ttop, tmod, ...rest] = target.split(path.sep);
      if (top === "core" && ttop === "modules") problems.push(`${rel}: core must not import a module (${spec})`);
      if (ttop !== "modules" || (top === "modules" && tmod === mod)) continue;
      if (rest.join("/") !== "index.ts") problems.push(`${rel}: import ${spec} — call the module's index.ts, never its internals`);
      if (top === "modules" && ["policy", "ledger", "protection"].includes(mod) && tmod !== "policy") problems.push(`${rel}: ${mod} must not depend on module ${tmod}`);
    }
  }
  assert.deepEqual(problems, []);
});
