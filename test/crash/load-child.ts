/**
 * Child process of the crash test: opens the platform on the given data folder / database, starts a
 * load of FILE as a job and prints the job's progress as JSON lines until it ends (or is killed).
 *   node --import tsx test/crash/load-child.ts '{"dataDir":…,"databaseUrl":…,"entryId":…,"file":…,"actor":{…}}'
 */
import fs from "node:fs";
import { createPlatform } from "../../src/app.ts";
import type { Actor } from "../../src/modules/policy/index.ts";

const args = JSON.parse(process.argv[2]) as { dataDir: string; databaseUrl?: string; entryId: string; file: string; actor: Actor };
const p = await createPlatform({ dataDir: args.dataDir, logLevel: "silent", ...(args.databaseUrl ? { databaseUrl: args.databaseUrl } : {}) });
const { job } = await p.services.ingest.upload(args.actor, { entryId: args.entryId, body: fs.createReadStream(args.file), filename: "big.csv", mode: "all-or-nothing" });
for (;;) {
  const j = (await p.services.jobs.get(job.id))!;
  process.stdout.write(`${JSON.stringify({ id: j.id, status: j.status, phase: j.phase, done: j.progress.done })}\n`);
  if (j.status === "succeeded" || j.status === "failed") break;
  await new Promise((r) => setTimeout(r, 50));
}
await p.close();
