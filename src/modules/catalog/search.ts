import { sql, type Expression, type RawBuilder, type SqlBool } from "kysely";
import type { Db } from "../../core/db.ts";
import { hasRole, type Actor } from "../policy/index.ts";
import { catalogDb, type CatalogTables, type EntryRow } from "./store.ts";
import { escapeLike, facetToken, queryTerms, queryTokens, SEARCH_KEY_SQL } from "./tokens.ts";
import {
  FACET_FIELDS,
  type EntrySummaryView,
  type FacetBucket,
  type FacetField,
  type SearchQuery,
  type SearchResponse,
} from "./schema.ts";
import type { ExpressionBuilder } from "kysely";

type EB = ExpressionBuilder<CatalogTables, "catalog_entries">;

const FACET_COLUMN: Record<Exclude<FacetField, "format">, string> = {
  provider: "provider_org_id",
  theme: "theme",
  shareType: "share_type",
  openType: "open_type",
  grade: "grade",
  updateCycle: "update_cycle",
};

/**
 * Above this many matches a search answers from a sample: the first SAMPLE_CAP matches the index
 * yields. Counting, grouping and ranking every match of a one-character query over 100,000 entries
 * (half the catalog) costs hundreds of milliseconds; a user facing "10000+" results refines the query
 * anyway. Then `total` is a lower bound (`totalIsLowerBound: true`), facet counts are counted over the
 * sample, and relevance ranking (the default sort) orders the sample. At or below the cap every
 * figure is exact. Explicit sorts (name, dates) always order every match.
 */
export const SAMPLE_CAP = 1000;

/** The search answer; `totalIsLowerBound` is set when more than SAMPLE_CAP entries match. */
export interface CatalogSearchResponse extends SearchResponse {
  totalIsLowerBound?: boolean;
}

export interface SearchDeps {
  db: Db;
  orgNames(): Promise<Map<string, string>>;
}

function highlight(text: string, terms: string[]): string {
  let out = text;
  for (const t of terms) {
    const i = out.toLowerCase().indexOf(t);
    if (i >= 0) out = `${out.slice(0, i)}<em>${out.slice(i, i + t.length)}</em>${out.slice(i + t.length)}`;
  }
  return out;
}

type FacetRow = Record<string, string | number | null>;

const PAGE_COLS = ["id", "code", "name", "summary", "status", "provider_org_id", "theme", "share_type", "open_type", "grade", "formats", "update_cycle", "item_count", "published_at", "updated_at"] as const;
/** A result row: from the query builder (Dates) or from json_agg (ISO strings). */
type PageRow = Pick<EntryRow, (typeof PAGE_COLS)[number]> | (Omit<Pick<EntryRow, (typeof PAGE_COLS)[number]>, "published_at" | "updated_at"> & { published_at: string | null; updated_at: string });

/** Rows of the facet statement → total, lower-bound flag and buckets (g: grouping mask; -1 formats; -2 match count). */
function parseFacetRows(rows: FacetRow[]) {
  const facets: Partial<Record<FacetField, { value: string; count: number }[]>> = { format: [] };
  let total = 0;
  let matches = 0;
  const all = (1 << Object.keys(FACET_COLUMN).length) - 1;
  for (const row of rows) {
    const g = Number(row.g);
    if (g === -1) { facets.format!.push({ value: String(row.fmt), count: Number(row.n) }); continue; }
    if (g === -2) { matches = Number(row.n); continue; }
    if (g === all) { total = Number(row.n); continue; }
    for (const [f, c] of Object.entries(FACET_COLUMN)) {
      if (row[c] != null) (facets[f as FacetField] ??= []).push({ value: String(row[c]), count: Number(row.n) });
    }
  }
  return { total, totalIsLowerBound: matches > SAMPLE_CAP, facets };
}

/**
 * The facet statement over a CTE `m` (the sample) and `m0` (the sample plus one): grouping sets for
 * the columns, formats unnested, and the match count.
 */
function facetSelect() {
  const cols = Object.values(FACET_COLUMN);
  const colList = sql.join(cols.map((c) => sql.ref(c)));
  return sql`
        select ${colList}, null::text as fmt, count(*)::int as n, grouping(${colList})::int as g
          from m group by grouping sets (${sql.join(cols.map((c) => sql`(${sql.ref(c)})`))}, ())
        union all
        select ${sql.join(cols.map(() => sql`null`))}, fmt, count(*)::int, -1
          from m cross join lateral unnest(m.formats) as f(fmt) group by fmt
        union all
        select ${sql.join(cols.map(() => sql`null`))}, null, count(*)::int, -2 from m0`;
}

/**
 * Catalog search: Chinese full text by unigram/bigram GIN containment plus a LIKE recheck,
 * facet filters, sorting and paging; facet counts in one grouping-sets scan over the matches.
 */
export function createCatalogSearch(deps: SearchDeps) {
  const db = catalogDb(deps.db);

  function where(actor: Actor, q: SearchQuery, terms: string[]) {
    return (eb: EB) => {
      const conds: Expression<SqlBool>[] = [];
      const officerOrg = actor.kind === "user" ? actor.orgId : null;
      const isAdmin = hasRole(actor, "platform_admin", "regulator");
      if (q.mine === "true" && officerOrg) conds.push(eb("provider_org_id", "=", officerOrg));
      if (q.status) {
        conds.push(eb("status", "=", q.status));
        // Only the provider's users and admins see entries that are not public.
        if (q.status !== "published" && q.status !== "withdrawn" && !isAdmin)
          conds.push(officerOrg ? eb("provider_org_id", "=", officerOrg) : sql<SqlBool>`false`);
      } else if (q.mine === "true" && officerOrg) {
        // all statuses of the own organisation
      } else {
        conds.push(eb("status", "=", "published"));
      }
      // Text terms and equality facets go into one GIN containment on the search key (tokens.ts);
      // the equality conditions stay too (cheap, and they keep the query readable).
      const keyTokens = new Set<string>();
      for (const t of terms) {
        for (const tok of queryTokens(t)) keyTokens.add(tok);
        // The LIKE is needed for contiguity of 3+ characters. For 1–2 characters it says the same as the
        // tokens, but it is much cheaper per row than the array containment (which detoasts and copies
        // the token array), so when a common character makes the planner scan the table, rows are
        // rejected by the LIKE first.
        conds.push(sql<SqlBool>`search_text like ${`%${escapeLike(t)}%`}`);
      }
      if (keyTokens.size) {
        // "published" is most of the catalog: as a key token it only lengthens the posting-list
        // intersection, so it stays a plain filter; rarer statuses narrow the lookup.
        if (q.status && q.status !== "published") keyTokens.add(facetToken("status", q.status));
        if (q.mine === "true" && officerOrg) keyTokens.add(facetToken("provider", officerOrg));
        if (q.provider) keyTokens.add(facetToken("provider", q.provider));
        if (q.theme) keyTokens.add(facetToken("theme", q.theme));
        if (q.shareType) keyTokens.add(facetToken("shareType", q.shareType));
        if (q.openType) keyTokens.add(facetToken("openType", q.openType));
        if (q.grade) keyTokens.add(facetToken("grade", q.grade));
        if (q.updateCycle) keyTokens.add(facetToken("updateCycle", q.updateCycle));
        conds.push(sql<SqlBool>`${sql.raw(SEARCH_KEY_SQL)} @> ${sql.val([...keyTokens])}::text[]`);
      }
      if (q.provider) conds.push(eb("provider_org_id", "=", q.provider));
      if (q.theme) conds.push(eb("theme", "=", q.theme));
      if (q.shareType) conds.push(eb("share_type", "=", q.shareType));
      if (q.openType) conds.push(eb("open_type", "=", q.openType));
      if (q.grade) conds.push(eb("grade", "=", q.grade));
      if (q.updateCycle) conds.push(eb("update_cycle", "=", q.updateCycle));
      if (q.format) conds.push(sql<SqlBool>`formats @> ${sql.val([q.format.toLowerCase()])}::text[]`);
      if (q.domain) conds.push(sql<SqlBool>`domains @> ${sql.val([q.domain])}::text[]`);
      return eb.and(conds);
    };
  }

  return {
    async search(actor: Actor, q: SearchQuery): Promise<CatalogSearchResponse> {
      const t0 = performance.now();
      const terms = queryTerms(q.q ?? "");
      const w = where(actor, q, terms);
      const pageCols = PAGE_COLS;
      let page = db.selectFrom("catalog_entries").select(pageCols).where(w);
      const nameHit = terms.length ? sql`(${sql.join(terms.map((t) => sql`lower(name) like ${`%${escapeLike(t)}%`}`), sql` and `)})` : null;
      switch (q.sort) {
        case "relevance":
          if (nameHit) {
            // Rank the first SAMPLE_CAP matches (all of them when there are no more): the LIMIT in
            // the subquery lets the scan stop early on huge match sets instead of ranking every row.
            page = db
              .selectFrom(db.selectFrom("catalog_entries").select(pageCols).where(w).limit(SAMPLE_CAP).as("catalog_entries"))
              .select(pageCols)
              .orderBy(sql`${nameHit} desc`)
              .orderBy(sql`length(name)`) as unknown as typeof page;
          }
          page = page.orderBy("published_at", (o) => o.desc().nullsLast()).orderBy("updated_at", "desc");
          break;
        case "published_desc": page = page.orderBy("published_at", (o) => o.desc().nullsLast()); break;
        case "published_asc": page = page.orderBy("published_at", (o) => o.asc().nullsLast()); break;
        case "name_asc": page = page.orderBy(sql`name collate "C"`); break;
        case "updated_desc": page = page.orderBy("updated_at", "desc"); break;
      }
      page = page.orderBy("id").limit(q.pageSize).offset((q.page - 1) * q.pageSize);
      // A ranked text search with facets reads its sample once: page, facets and count in one statement
      // (PGlite runs one statement at a time, so two queries over the same matches cost twice).
      const combined = nameHit && q.sort === "relevance" && q.facets === "true";
      const [{ rows, facetRows }, names] = await Promise.all([
        combined
          ? this.rankedWithFacets(w, nameHit, q)
          : Promise.all([page.execute(), q.facets === "true" ? this.facetCounts(w) : this.countOnly(w)]).then(([rows, facetRows]) => ({ rows, facetRows })),
        deps.orgNames(),
      ]);
      const { total, totalIsLowerBound } = facetRows;
      const items: EntrySummaryView[] = rows.map((r) => ({
        id: r.id, code: r.code, name: r.name, summary: r.summary, status: r.status,
        provider: { id: r.provider_org_id, name: names.get(r.provider_org_id) ?? "" },
        theme: r.theme, shareType: r.share_type as EntrySummaryView["shareType"], openType: r.open_type as EntrySummaryView["openType"],
        grade: r.grade as EntrySummaryView["grade"], formats: r.formats, updateCycle: r.update_cycle as EntrySummaryView["updateCycle"],
        itemCount: r.item_count, publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null, updatedAt: new Date(r.updated_at).toISOString(),
        ...(terms.length ? { highlight: highlight(r.name, terms) } : {}),
      }));
      let facets: SearchResponse["facets"];
      if (facetRows.facets) {
        facets = {} as Record<FacetField, FacetBucket[]>;
        for (const f of FACET_FIELDS) {
          facets[f] = (facetRows.facets[f] ?? [])
            .map((b) => ({ ...b, label: f === "provider" ? (names.get(b.value) ?? b.value) : b.value }))
            .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
        }
      }
      return { total, ...(totalIsLowerBound ? { totalIsLowerBound } : {}), page: q.page, pageSize: q.pageSize, items, facets, tookMs: Math.round((performance.now() - t0) * 10) / 10 };
    },

    /** The number of matches, counting at most SAMPLE_CAP + 1 of them. */
    async countOnly(w: (eb: EB) => Expression<SqlBool>) {
      const capped = db.selectFrom("catalog_entries").select(sql`1`.as("x")).where(w).limit(SAMPLE_CAP + 1);
      const r = await db.selectFrom(capped.as("c")).select((e) => e.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      const n = Number(r.n);
      return { total: Math.min(n, SAMPLE_CAP), totalIsLowerBound: n > SAMPLE_CAP, facets: undefined as undefined | Partial<Record<FacetField, { value: string; count: number }[]>> };
    },

    /**
     * Total and facet counts over the matches in one round trip: grouping sets plus formats unnested.
     * At most SAMPLE_CAP + 1 matches are read: one more than the cap tells a huge match set, whose
     * facets are then counted over the first SAMPLE_CAP matches and whose total is a lower bound.
     */
    async facetCounts(w: (eb: EB) => Expression<SqlBool>) {
      const matched = db.selectFrom("catalog_entries").select(["provider_org_id", "theme", "share_type", "open_type", "grade", "update_cycle", "formats"]).where(w).limit(SAMPLE_CAP + 1);
      const r = await sql<FacetRow>`
        with m0 as materialized (${matched}),
             m as (select * from m0 limit ${SAMPLE_CAP})
        ${facetSelect()}`.execute(db);
      return parseFacetRows(r.rows);
    },

    /** Relevance-ranked page plus facets and count over one sample of the matches, in one statement. */
    async rankedWithFacets(w: (eb: EB) => Expression<SqlBool>, nameHit: RawBuilder<unknown>, q: SearchQuery) {
      const matched = db.selectFrom("catalog_entries").select([...PAGE_COLS]).where(w).limit(SAMPLE_CAP + 1);
      const r = await sql<{ page: PageRow[]; facets: FacetRow[] }>`
        with m0 as materialized (${matched}),
             m as (select * from m0 limit ${SAMPLE_CAP}),
             pg as (select * from m order by ${nameHit} desc, length(name), published_at desc nulls last, updated_at desc, id
                    limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}),
             fc as (${facetSelect()})
        select (select coalesce(json_agg(pg), '[]'::json) from pg) as page,
               (select coalesce(json_agg(fc), '[]'::json) from fc) as facets`.execute(db);
      const row = r.rows[0];
      return { rows: row.page, facetRows: parseFacetRows(row.facets) };
    },

    async reviewQueue(): Promise<EntrySummaryView[]> {
      const names = await deps.orgNames();
      const rows = await db
        .selectFrom("catalog_versions")
        .innerJoin("catalog_entries", "catalog_entries.id", "catalog_versions.entry_id")
        .select(["catalog_entries.id", "catalog_entries.code", "catalog_entries.status", "catalog_entries.provider_org_id", "catalog_entries.published_at", "catalog_versions.content", "catalog_versions.submitted_at", "catalog_entries.updated_at"])
        .where("catalog_versions.status", "=", "submitted")
        .orderBy("catalog_versions.submitted_at")
        .limit(500)
        .execute();
      return rows.map((r) => ({
        id: r.id, code: r.code, name: r.content.name, summary: r.content.summary, status: r.status,
        provider: { id: r.provider_org_id, name: names.get(r.provider_org_id) ?? "" }, theme: r.content.theme,
        shareType: r.content.shareType, openType: r.content.openType, grade: r.content.grade, formats: r.content.formats,
        updateCycle: r.content.updateCycle, itemCount: r.content.items.length,
        publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null, updatedAt: new Date(r.submitted_at ?? r.updated_at).toISOString(),
      }));
    },

    async stats() {
      const base = db.selectFrom("catalog_entries").where("status", "=", "published");
      const count = async (col: "share_type" | "open_type" | "grade") =>
        Object.fromEntries((await base.select([col, (e) => e.fn.countAll<number>().as("n")]).groupBy(col).execute()).map((r: any) => [r[col], Number(r.n)]));
      const [tot, byShareType, byOpenType, byGrade, dom] = await Promise.all([
        base.select([(e) => e.fn.countAll<number>().as("n"), sql<number>`count(distinct provider_org_id)`.as("d"), sql<number>`coalesce(sum(item_count),0)`.as("items")]).executeTakeFirstOrThrow(),
        count("share_type"),
        count("open_type"),
        count("grade"),
        sql<{ dom: string; n: number }>`select dom, count(*)::int as n from catalog_entries cross join lateral unnest(domains) as d(dom) where status = 'published' group by dom`.execute(db).then((x) => x.rows),
      ]);
      return {
        published: Number(tot.n), departments: Number(tot.d), dataItems: Number(tot.items),
        byShareType, byOpenType, byGrade, byDomain: Object.fromEntries(dom.map((r) => [r.dom, Number(r.n)])),
      };
    },

    /** 责任清单: per department, the published resources it must supply and keep current. */
    async responsibilityList() {
      const names = await deps.orgNames();
      const rows = await db.selectFrom("catalog_entries")
        .select(["id", "code", "name", "provider_org_id", "share_type", "open_type", "update_cycle", "grade", "item_count", "published_at"])
        .where("status", "=", "published").orderBy("provider_org_id").orderBy("code").execute();
      return rows.map((r) => ({
        id: r.id, provider: names.get(r.provider_org_id) ?? r.provider_org_id, providerId: r.provider_org_id, code: r.code, name: r.name,
        shareType: r.share_type, openType: r.open_type, updateCycle: r.update_cycle, grade: r.grade, itemCount: r.item_count,
        publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null,
      }));
    },

    /** 负面清单: published resources that are not shared or not opened, with the legal basis. */
    async negativeList() {
      const names = await deps.orgNames();
      const rows = await db.selectFrom("catalog_entries")
        .innerJoin("catalog_versions", (j) => j.onRef("catalog_versions.entry_id", "=", "catalog_entries.id").onRef("catalog_versions.version", "=", "catalog_entries.published_version"))
        .select(["catalog_entries.id", "catalog_entries.code", "catalog_entries.name", "catalog_entries.provider_org_id", "catalog_entries.share_type", "catalog_entries.open_type", "catalog_entries.grade", "catalog_versions.content"])
        .where("catalog_entries.status", "=", "published")
        .where((eb) => eb.or([eb("catalog_entries.share_type", "=", "不予共享"), eb("catalog_entries.open_type", "=", "不予开放")]))
        .orderBy("catalog_entries.provider_org_id").orderBy("catalog_entries.code").execute();
      return rows.map((r) => ({
        id: r.id, provider: names.get(r.provider_org_id) ?? r.provider_org_id, code: r.code, name: r.name, grade: r.grade,
        shareType: r.share_type, notShareBasis: r.content.notShareBasis ?? "", openType: r.open_type, notOpenBasis: r.content.notOpenBasis ?? "",
      }));
    },
  };
}

export type CatalogSearch = ReturnType<typeof createCatalogSearch>;
