// DB-backed ledger tests on the engine under test (GONGSHU_TEST_DB: PGlite, or PostgreSQL in the second pass).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { Migrator, NO_MIGRATIONS, type Migration, type MigrationProvider } from "kysely/migration";
import type { Database, Db } from "../../core/db.ts";
import { openTestDatabase, TEST_ENGINE } from "../../../test/helpers.ts";
import { digest } from "./canonical.ts";
import { ledgerMigrations } from "./migrations/index.ts";
import { createLedgerService, type LedgerService } from "./service.ts";
import { decodeEntryBundle } from "./tiles.ts";
import { leafHash } from "./hash.ts";
import { parseVerifierKey, openNote } from "./note.ts";
import { verifyBundle, verifyCheckpoint, verifyConsistency, verifyInclusion } from "./verify.ts";

// Run the module's migrations with kysely's Migrator directly, on a table of our own, so this test
// depends only on the ledger's migrations (and can run them down and up again).
function migrator(db: Db): Migrator {
  const provider: MigrationProvider = { getMigrations: async (): Promise<Record<string, Migration>> => ledgerMigrations };
  return new Migrator({ db, provider, migrationTableName: "ledger_test_migrations", migrationLockTableName: "ledger_test_migrations_lock" });
}

async function freshSchema(db: Db): Promise<void> {
  const m = migrator(db);
  const down = await m.migrateTo(NO_MIGRATIONS);
  if (down.error) throw down.error;
  const up = await m.migrateToLatest();
  if (up.error) throw up.error;
}

// The engine comes from the test runner (scripts/test.mjs): PGlite, then PostgreSQL when CI provides one.
const engines: { name: string; open: () => Promise<Database> }[] = [{ name: TEST_ENGINE, open: openTestDatabase }];

for (const engine of engines) {
  describe(`ledger service on ${engine.name}`, () => {
    let database: Database;
    let db: Db;
    let ledger: LedgerService;
    const origin = "gongshu.test/ledger";

    before(async () => {
      database = await engine.open();
      db = database.db;
      await freshSchema(db);
      ledger = await createLedgerService({ db, origin });
    });
    after(async () => {
      await database?.close();
    });

    test("migrations run down and up again", async () => {
      await freshSchema(db);
      ledger = await createLedgerService({ db, origin });
      assert.equal(await ledger.size(), 0);
    });

    test("record: concurrent standalone entries are group-committed, gapless, each with its own index; a bad one fails alone", async () => {
      const before = await ledger.size();
      const bad = ledger.record({ kind: "test.read", subject: "" });
      const many = Array.from({ length: 40 }, (_, i) => ledger.record({ kind: "test.read", subject: `r-${i}`, data: { i } }));
      const inTx = db.transaction().execute((tx) => ledger.append(tx, { kind: "test.change", subject: "c" }));
      await assert.rejects(bad, /subject/);
      const got = await Promise.all(many);
      await inTx;
      const idx = got.map((g) => g.index);
      assert.equal(new Set(idx).size, 40);
      assert.equal(await ledger.size(), before + 41);
      for (const [i, g] of got.entries()) {
        const e = await ledger.entry(g.index);
        assert.equal(e.subject, `r-${i}`);
        assert.equal(leafHash("sm3", Buffer.from(e.leaf)).toString("hex"), g.leafHash);
      }
      const cp = verifyCheckpoint(await ledger.checkpoint(), ledger.verifierKeys());
      assert.equal(cp.size, before + 41);
      // Back to the empty log the following tests expect.
      await freshSchema(db);
      ledger = await createLedgerService({ db, origin });
    });

    test("empty log has a signed checkpoint of size 0", async () => {
      const note = await ledger.checkpoint();
      const cp = verifyCheckpoint(note, ledger.verifierKeys());
      assert.equal(cp.size, 0);
      assert.equal(cp.origin, origin);
      assert.deepEqual(cp.signedBy.map((s) => s.algorithm).sort(), ["ed25519", "sm2"]);
    });

    test("append inside the caller's transaction; rollback leaves no entry and no gap", async () => {
      const a = await db.transaction().execute((tx) => ledger.append(tx, { kind: "test.a", subject: "s-0", actor: "u1", digest: digest({ x: 1 }), data: { n: 1 } }));
      assert.equal(a.index, 0);
      await assert.rejects(
        db.transaction().execute(async (tx) => {
          await ledger.append(tx, { kind: "test.b", subject: "s-rolled-back" });
          throw new Error("boom");
        }),
        /boom/,
      );
      const b = await db.transaction().execute((tx) => ledger.append(tx, { kind: "test.c", subject: "s-1" }));
      assert.equal(b.index, 1);
      assert.equal(await ledger.size(), 2);
      const e = await ledger.entry(1);
      assert.equal(e.subject, "s-1");
      assert.equal(leafHash("sm3", Buffer.from(e.leaf)).toString("hex"), b.leafHash);
      await assert.rejects(ledger.entry(2), (err: Error & { code?: string }) => err.code === "not_found");
    });

    test("concurrent appends get gapless sequential indexes", async () => {
      const start = await ledger.size();
      const N = 24;
      const results = await Promise.all(
        Array.from({ length: N }, (_, i) =>
          db.transaction().execute(async (tx) => {
            const r = await ledger.append(tx, { kind: "test.concurrent", subject: `c-${i}` });
            await sql`select pg_sleep(0.005)`.execute(tx); // keep transactions overlapping
            return r.index;
          }),
        ),
      );
      assert.deepEqual([...results].sort((x, y) => x - y), Array.from({ length: N }, (_, i) => start + i));
      assert.equal(await ledger.size(), start + N);
      const rows = await db.selectFrom("ledger_entries").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow();
      assert.equal(Number(rows.n), start + N);
    });

    test("checkpoint, inclusion and consistency proofs verify; tampering fails", async () => {
      const old = verifyCheckpoint(await ledger.checkpoint(), ledger.verifierKeys());
      for (let i = 0; i < 5; i++) await db.transaction().execute((tx) => ledger.append(tx, { kind: "test.more", subject: `m-${i}` }));
      const note = await ledger.checkpoint();
      assert.equal(await ledger.checkpoint(), note, "no new checkpoint while the tree has not grown");
      const cp = verifyCheckpoint(note, ledger.verifierKeys());
      assert.equal(cp.size, await ledger.size());
      for (let i = 0; i < cp.size; i++) {
        const p = await ledger.inclusionProof(i, cp.size);
        const e = await ledger.entry(i);
        verifyInclusion({ hash: "sm3", leaf: e.leaf, index: i, size: cp.size, proof: p.proof, rootHash: cp.rootHash });
        assert.throws(() => verifyInclusion({ hash: "sm3", leaf: e.leaf.replace('"v":1', '"v":2'), index: i, size: cp.size, proof: p.proof, rootHash: cp.rootHash }), /inclusion proof/);
      }
      const c = await ledger.consistencyProof(old.size, cp.size);
      verifyConsistency({ hash: "sm3", oldSize: old.size, newSize: cp.size, oldRoot: old.rootHash, newRoot: cp.rootHash, proof: c.proof });
      const bad = [...c.proof];
      bad[0] = Buffer.alloc(32).toString("base64");
      assert.throws(() => verifyConsistency({ hash: "sm3", oldSize: old.size, newSize: cp.size, oldRoot: old.rootHash, newRoot: cp.rootHash, proof: bad }), /consistency/);
      await assert.rejects(ledger.inclusionProof(0, cp.size + 100), (err: Error & { code?: string }) => err.code === "not_found");
      await assert.rejects(ledger.consistencyProof(5, 3), (err: Error & { code?: string }) => err.code === "invalid");

      // Checkpoint text tampering.
      assert.throws(() => verifyCheckpoint(note.replace(`\n${cp.size}\n`, `\n${cp.size + 1}\n`), ledger.verifierKeys()), /invalid/);
      // Both signatures are required: drop the SM2 line, then the Ed25519 line.
      const lines = note.split("\n");
      const sigLines = lines.filter((l) => l.startsWith("— "));
      assert.equal(sigLines.length, 2);
      const [edKey, smKey] = ledger.verifierKeys();
      const withoutSm2 = note.replace(`${sigLines[1]}\n`, "");
      const withoutEd = note.replace(`${sigLines[0]}\n`, "");
      assert.throws(() => verifyCheckpoint(withoutSm2, ledger.verifierKeys()), /not signed by required sm2 key/);
      assert.throws(() => verifyCheckpoint(withoutEd, ledger.verifierKeys()), /not signed by required ed25519 key/);
      // A standard (Ed25519-only) verifier still accepts the co-signed note, ignoring SM2.
      const opened = openNote(note, [parseVerifierKey(edKey)]);
      assert.equal(opened.unverified.length, 1);
      assert.equal(parseVerifierKey(smKey).algorithm, "sm2");
    });

    test("tiles and entry bundles match the tree", async () => {
      const size = await ledger.size();
      const t0 = await ledger.tile(`tile/0/000.p/${size}`);
      assert.equal(t0.bytes.length, 32 * size);
      const bundle = decodeEntryBundle((await ledger.tile(`tile/entries/000.p/${size}`)).bytes);
      assert.equal(bundle.length, size);
      for (let i = 0; i < size; i++) assert.deepEqual(leafHash("sm3", bundle[i]), t0.bytes.subarray(i * 32, (i + 1) * 32));
      await assert.rejects(ledger.tile(`tile/0/000.p/${size + 1}`), (err: Error & { code?: string }) => err.code === "not_found");
      await assert.rejects(ledger.tile("tile/0/000"), (err: Error & { code?: string }) => err.code === "not_found");
      await assert.rejects(ledger.tile("tile/zz"), (err: Error & { code?: string }) => err.code === "not_found");
    });

    test("bundle verifies; modified content fails naming the subject", async () => {
      const content = { title: "公共交通线路", version: 3 };
      const { index } = await db.transaction().execute((tx) => ledger.append(tx, { kind: "catalog.entry.published", subject: "entry-42", digest: digest(content) }));
      const b = await ledger.bundle([{ subject: "entry-42", content, leafIndex: index }]);
      const good = verifyBundle(b, { vkeys: ledger.verifierKeys() });
      assert.deepEqual({ ok: good.ok, checked: good.checked, failures: good.failures }, { ok: true, checked: 1, failures: [] });
      const tampered = verifyBundle({ ...b, items: [{ ...b.items[0], content: { ...content, version: 4 } }] });
      assert.equal(tampered.ok, false);
      assert.equal(tampered.failures[0].subject, "entry-42");
      assert.match(tampered.failures[0].reason, /entry-42.*digest/);
      const wrongSubject = verifyBundle({ ...b, items: [{ ...b.items[0], subject: "entry-43" }] });
      assert.match(wrongSubject.failures[0].reason, /subject/);
      const otherKeys = verifyBundle(b, { vkeys: [ledger.verifierKeys()[0]] });
      assert.equal(otherKeys.ok, true, "pinning only the Ed25519 key is allowed (the caller decides which keys are required)");
      const forged = verifyBundle({ ...b, vkeys: ["someone+00000000+AQ=="] });
      assert.equal(forged.ok, false);
    });

    test("reopening with another hash or origin is refused", async () => {
      await assert.rejects(createLedgerService({ db, origin, hash: "sha256" }), /hash sm3/);
      await assert.rejects(createLedgerService({ db, origin: "other.example/log" }), /origin/);
      const again = await createLedgerService({ db, origin });
      assert.deepEqual(again.verifierKeys(), ledger.verifierKeys(), "keys persist across restarts");
      assert.equal(await again.checkpoint(), await ledger.checkpoint());
    });

    test("a rewritten entry is refused at the next checkpoint", async () => {
      await ledger.checkpoint();
      await db.updateTable("ledger_entries").set({ leaf_hash: Buffer.alloc(32) }).where("idx", "=", 0).execute();
      await db.transaction().execute((tx) => ledger.append(tx, { kind: "test.after", subject: "x" }));
      const fresh = await createLedgerService({ db, origin });
      await assert.rejects(fresh.checkpoint(), /modified/);
    });

    test("sha256 logs are byte-compatible with RFC 6962 hashing", async () => {
      await freshSchema(db);
      const l = await createLedgerService({ db, origin: "gongshu.test/sha", hash: "sha256" });
      const r = await db.transaction().execute((tx) => l.append(tx, { kind: "k", subject: "s" }));
      const e = await l.entry(r.index);
      const cp = verifyCheckpoint(await l.checkpoint(), l.verifierKeys());
      assert.deepEqual(cp.rootHash, leafHash("sha256", Buffer.from(e.leaf)));
    });
  });
}
