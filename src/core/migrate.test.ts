import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "kysely";
import { ALL_MIGRATIONS } from "../app.ts";
import { migrateDownAll, migrateToLatest } from "./migrate.ts";
import { createTestPlatform, TEST_ENGINE } from "../../test/helpers.ts";

test(`every module's migrations run up, down and up again (${TEST_ENGINE})`, async () => {
  const t = await createTestPlatform();
  try {
    const db = t.platform.database.db;
    const tables = async () =>
      (await sql<{ t: string }>`select table_name as t from information_schema.tables where table_schema = 'public' and table_name not like 'gongshu_migrations%' order by 1`.execute(db)).rows.map((r) => r.t);
    const up = await tables();
    for (const name of ["orgs", "users", "sessions", "api_tokens", "catalog_entries", "catalog_versions"]) assert.ok(up.includes(name), `${name} missing`);
    const down = await migrateDownAll(db, ALL_MIGRATIONS);
    assert.ok(down.applied.length >= 3);
    assert.deepEqual(await tables(), []);
    const again = await migrateToLatest(db, ALL_MIGRATIONS);
    assert.equal(again.applied.length, down.applied.length);
    assert.deepEqual(await tables(), up);
  } finally {
    await t.close();
  }
});
