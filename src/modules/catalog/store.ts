import { sql, type Generated, type Insertable, type Kysely, type Selectable } from "kysely";
import { searchTokens } from "./tokens.ts";
import type { Db } from "../../core/db.ts";
import type { EntryContent, EntryStatus, VersionStatus } from "./schema.ts";

/** The catalog module's tables. Only the catalog module touches them. */
export interface CatalogTables {
  catalog_entries: {
    id: string;
    code: string;
    class_code: string;
    seq: string;
    provider_org_id: string;
    status: EntryStatus;
    published_version: number | null;
    open_version: number | null;
    name: string;
    summary: string;
    theme: string;
    share_type: string;
    open_type: string;
    grade: string;
    update_cycle: string;
    formats: string[];
    domains: string[];
    item_count: number;
    search_text: string;
    search_tokens: string[];
    published_at: Date | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  catalog_versions: {
    entry_id: string;
    version: number;
    status: VersionStatus;
    content: EntryContent;
    reason: string | null;
    review_note: string | null;
    created_by: string | null;
    created_at: Generated<Date>;
    submitted_at: Date | null;
    reviewed_by: string | null;
    reviewed_at: Date | null;
    published_at: Date | null;
    ledger_index: number | null;
    withdrawn_ledger_index: number | null;
  };
}
export type CatalogDb = Kysely<CatalogTables>;
export const catalogDb = (db: Db) => db as unknown as CatalogDb;
export type EntryRow = Selectable<CatalogTables["catalog_entries"]>;
export type VersionRow = Selectable<CatalogTables["catalog_versions"]>;


/** Search columns derived from the visible content of an entry. */
export function searchColumns(c: EntryContent, providerName: string) {
  const text = [c.name, c.summary, c.items.map((i) => i.name).join(" "), c.keywords.join(" "), c.theme, providerName].join(" ");
  return {
    name: c.name,
    summary: c.summary,
    theme: c.theme,
    share_type: c.shareType,
    open_type: c.openType,
    grade: c.grade,
    update_cycle: c.updateCycle,
    formats: c.formats.map((f) => f.toLowerCase()),
    domains: c.domains,
    item_count: c.items.length,
    search_text: text.normalize("NFKC").toLowerCase(),
    search_tokens: searchTokens(text),
  };
}

export function catalogStore(db: CatalogDb) {
  return {
    entry: (id: string, forUpdate = false) => {
      let q = db.selectFrom("catalog_entries").selectAll().where("id", "=", id);
      if (forUpdate) q = q.forUpdate();
      return q.executeTakeFirst();
    },
    version: (entryId: string, version: number) =>
      db.selectFrom("catalog_versions").selectAll().where("entry_id", "=", entryId).where("version", "=", version).executeTakeFirst(),
    versions: (entryId: string) => db.selectFrom("catalog_versions").selectAll().where("entry_id", "=", entryId).orderBy("version", "desc").execute(),
    nextSeq: async (classCode: string) => {
      const r = await db.selectFrom("catalog_entries").select(sql<string | null>`max(seq)`.as("m")).where("class_code", "=", classCode).executeTakeFirst();
      return String((r?.m ? Number.parseInt(r.m, 10) : 0) + 1).padStart(6, "0");
    },
    entries: (ids: string[]) => (ids.length ? db.selectFrom("catalog_entries").selectAll().where("id", "in", ids).execute() : Promise.resolve([])),
    /** The given (entry, version) pairs, in one query. */
    versionsOf: (pairs: { entryId: string; version: number }[]) =>
      pairs.length
        ? db.selectFrom("catalog_versions").selectAll()
            .where((eb) => eb.or(pairs.map((p) => eb.and([eb("entry_id", "=", p.entryId), eb("version", "=", p.version)]))))
            .execute()
        : Promise.resolve([]),
    codeExists: async (code: string) => !!(await db.selectFrom("catalog_entries").select("id").where("code", "=", code).executeTakeFirst()),
    insertEntry: (row: Insertable<CatalogTables["catalog_entries"]>) => db.insertInto("catalog_entries").values(row).execute(),
    updateEntry: (id: string, set: Partial<Insertable<CatalogTables["catalog_entries"]>>) => db.updateTable("catalog_entries").set({ ...set, updated_at: new Date() }).where("id", "=", id).execute(),
    insertVersion: (row: Insertable<CatalogTables["catalog_versions"]>) =>
      db.insertInto("catalog_versions").values({ ...row, content: JSON.stringify(row.content) as unknown as EntryContent }).execute(),
    updateVersion: (entryId: string, version: number, set: Partial<Insertable<CatalogTables["catalog_versions"]>>) =>
      db
        .updateTable("catalog_versions")
        .set(set.content ? { ...set, content: JSON.stringify(set.content) as unknown as EntryContent } : set)
        .where("entry_id", "=", entryId)
        .where("version", "=", version)
        .execute(),
    /** Every version that went into the ledger, oldest first. */
    ledgeredVersions: () =>
      db
        .selectFrom("catalog_versions")
        .innerJoin("catalog_entries", "catalog_entries.id", "catalog_versions.entry_id")
        .select(["catalog_versions.entry_id", "catalog_versions.version", "catalog_versions.content", "catalog_versions.ledger_index", "catalog_entries.code", "catalog_entries.provider_org_id"])
        .where("catalog_versions.ledger_index", "is not", null)
        .orderBy("catalog_versions.ledger_index")
        .execute(),
  };
}

/**
 * BENCHMARKS ONLY (`bench/catalog-search.ts`): insert many `catalog_entries` rows in one statement,
 * `jsonb_populate_recordset` over a single JSON parameter (no 65,535-parameter limit, same SQL on
 * PGlite and PostgreSQL). Rows must carry the columns the service writes (spread `searchColumns`).
 * It writes no `catalog_versions` rows and no ledger entries: it exists to fill a throw-away database
 * for measuring search, not publication. Never call it from the service or the routes.
 */
export async function bulkInsertEntriesForBench(db: CatalogDb, rows: Insertable<CatalogTables["catalog_entries"]>[]): Promise<number> {
  if (rows.length === 0) return 0;
  const now = new Date();
  const json = JSON.stringify(rows.map((r) => ({ created_at: now, updated_at: now, ...r })));
  const res = await sql`insert into catalog_entries select * from jsonb_populate_recordset(null::catalog_entries, ${json}::jsonb)`.execute(db);
  return Number(res.numAffectedRows ?? rows.length);
}
