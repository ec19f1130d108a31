// HTTP routes and the `gongshu verify` CLI against a live (in-process) server on PGlite.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Fastify from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { Migrator, type Migration } from "kysely/migration";
import { openDatabase, type Database } from "../../core/db.ts";
import { DomainError } from "../../core/errors.ts";
import { runVerify } from "../../cli/verify.ts";
import { digest } from "./canonical.ts";
import { ledgerMigrations } from "./migrations/index.ts";
import { ledgerRoutes } from "./routes.ts";
import { createLedgerService, type LedgerService } from "./service.ts";
import type { LedgerBundle } from "./schema.ts";

let database: Database;
let ledger: LedgerService;
let base = "";
let bundle: LedgerBundle;
const app = Fastify().withTypeProvider<ZodTypeProvider>();
const tmp = await fs.mkdtemp(path.join(os.tmpdir(), "ledger-cli-"));
const quiet = { log: console.log };

before(async () => {
  database = await openDatabase({ pgliteDir: "memory://" });
  const m = new Migrator({ db: database.db, provider: { getMigrations: async (): Promise<Record<string, Migration>> => ledgerMigrations }, migrationTableName: "ledger_test_migrations", migrationLockTableName: "ledger_test_migrations_lock" });
  const r = await m.migrateToLatest();
  if (r.error) throw r.error;
  ledger = await createLedgerService({ db: database.db, origin: "gongshu.test/ledger" });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((err, _req, reply) => (err instanceof DomainError ? reply.status(err.status).send(err.toBody()) : reply.status(400).send({ error: String(err) })));
  ledgerRoutes(app, { ledger });
  // Stand-in for the catalog module's bundle endpoint.
  app.get("/api/catalog/ledger-bundle", { config: { policy: "public" } }, async () => bundle);
  await app.listen({ port: 0, host: "127.0.0.1" });
  const addr = app.server.address();
  if (!addr || typeof addr === "string") throw new Error("no address");
  base = `http://127.0.0.1:${addr.port}`;
  console.log = () => undefined; // keep the CLI's report out of the TAP output
});
after(async () => {
  console.log = quiet.log;
  await app.close();
  await database.close();
  await fs.rm(tmp, { recursive: true, force: true });
});

async function publish(subject: string, content: unknown): Promise<number> {
  const r = await database.db.transaction().execute((tx) => ledger.append(tx, { kind: "catalog.entry.published", subject, digest: digest(content) }));
  return r.index;
}

test("routes serve checkpoint, keys, tiles, entries and proofs", async () => {
  await publish("e-1", { a: 1 });
  await publish("e-2", { a: 2 });
  const cp = await fetch(`${base}/api/ledger/checkpoint`);
  assert.equal(cp.status, 200);
  assert.match(cp.headers.get("content-type") ?? "", /^text\/plain/);
  assert.match(await cp.text(), /^gongshu\.test\/ledger\n2\n/);
  const keys = (await (await fetch(`${base}/api/ledger/keys`)).json()) as { vkeys: string[]; hash: string };
  assert.equal(keys.vkeys.length, 2);
  assert.equal(keys.hash, "sm3");
  const tile = await fetch(`${base}/api/ledger/tile/0/000.p/2`);
  assert.equal(tile.status, 200);
  assert.equal(tile.headers.get("content-type"), "application/octet-stream");
  assert.equal((await tile.arrayBuffer()).byteLength, 64);
  assert.equal((await fetch(`${base}/api/ledger/tile/0/000`)).status, 404);
  assert.equal((await fetch(`${base}/api/ledger/tile/entries/000.p/2`)).status, 200);
  const entry = (await (await fetch(`${base}/api/ledger/entries/1`)).json()) as { subject: string };
  assert.equal(entry.subject, "e-2");
  assert.equal((await fetch(`${base}/api/ledger/entries/99`)).status, 404);
  assert.equal((await fetch(`${base}/api/ledger/entries/abc`)).status, 400);
  const incl = (await (await fetch(`${base}/api/ledger/proof/inclusion?index=0&size=2`)).json()) as { proof: string[] };
  assert.equal(incl.proof.length, 1);
  assert.equal((await fetch(`${base}/api/ledger/proof/inclusion?index=2&size=2`)).status, 400);
  assert.equal((await fetch(`${base}/api/ledger/proof/consistency?from=1&to=2`)).status, 200);
});

test("gongshu verify: good bundle passes, tampered fails, consistency with a saved checkpoint", async () => {
  const prevFile = path.join(tmp, "prev-checkpoint.txt");
  await fs.writeFile(prevFile, await ledger.checkpoint());
  const content = { title: "道路", v: 1 };
  const idx = await publish("entry-9", content);
  await publish("entry-10", { x: 1 });
  bundle = await ledger.bundle([{ subject: "entry-9", content, leafIndex: idx }]);
  const vkeyFile = path.join(tmp, "keys.txt");
  await fs.writeFile(vkeyFile, `${ledger.verifierKeys().join("\n")}\n`);

  assert.equal(await runVerify({ url: base, vkeyFiles: [vkeyFile], previousCheckpointFile: prevFile }), 0);
  const file = path.join(tmp, "bundle.json");
  await fs.writeFile(file, JSON.stringify(bundle));
  assert.equal(await runVerify({ bundleFile: file, json: true }), 0);

  await fs.writeFile(file, JSON.stringify({ ...bundle, items: [{ ...bundle.items[0], content: { ...content, v: 2 } }] }));
  assert.equal(await runVerify({ bundleFile: file, vkeyFiles: [vkeyFile] }), 1);

  // A key the bundle was not signed with: fails.
  const otherKey = path.join(tmp, "other.txt");
  await fs.writeFile(otherKey, "someone+00000000+AQ==\n");
  await fs.writeFile(file, JSON.stringify(bundle));
  assert.equal(await runVerify({ bundleFile: file, vkeyFiles: [otherKey] }), 1);

  // A "previous" checkpoint from a different history: consistency fails.
  const forkedPrev = path.join(tmp, "forked.txt");
  const prevNote = await fs.readFile(prevFile, "utf8");
  await fs.writeFile(forkedPrev, prevNote.replace(/\n[A-Za-z0-9+/=]{44}\n/, `\n${Buffer.alloc(32, 1).toString("base64")}\n`));
  assert.equal(await runVerify({ url: base, vkeyFiles: [vkeyFile], previousCheckpointFile: forkedPrev }), 1, "re-signed text fails its signature check");
});
