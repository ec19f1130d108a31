#!/usr/bin/env node
// `npm start` serves web/dist: build it once on a fresh clone (or when the sources are newer).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const dist = path.join(root, "web", "dist", "index.html");

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

const srcDir = path.join(root, "web", "src");
if (fs.existsSync(dist) && (!fs.existsSync(srcDir) || fs.statSync(dist).mtimeMs >= newest(srcDir))) process.exit(0);
process.stdout.write("building the web app (vite)…\n");
const r = spawnSync(process.execPath, [path.join(root, "node_modules", "vite", "bin", "vite.js"), "build", "--config", "web/vite.config.ts", "--logLevel", "warn"], { cwd: root, stdio: "inherit" });
process.exit(r.status ?? 1);
