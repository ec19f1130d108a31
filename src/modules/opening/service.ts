import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Db, Tx } from "../../core/db.ts";
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, UnauthenticatedError } from "../../core/errors.ts";
import { newId } from "../../core/ids.ts";
import type { Lake } from "../../core/lake.ts";
import { ANONYMOUS, assertCan, can, type Actor } from "../policy/index.ts";
import type { CatalogSearch, CatalogService, EntryContent, SearchQuery } from "../catalog/index.ts";
import type { IngestService, MaskerFor, RowFilter, RowValue, SnapshotColumn, Dataset } from "../ingest/index.ts";
import type { QualityService } from "../quality/index.ts";
import { shanghaiDay } from "../../core/workdays.ts";
import { openWriter, fileDigest, markExtract, tempExtractPath, CONTENT_TYPES, type ExtractMark, type OutColumn } from "./extract.ts";
import { ckanName, createOpenIndex } from "./open-index.ts";
import { createOpenFeedback } from "./feedback-service.ts";
import type { NotifyPort } from "./feedback.ts";
import type { ApplicationRef, OpenDataRef } from "./policies.ts";
import {
  SAMPLE_ROWS, type ApplicationView, type ApplyBody, type DecisionBody, type DownloadFormat, type FilterSpec, type OpenDatasetSummary, type OpenTypeListed, type PortalSearchQuery,
} from "./schema.ts";
import { openingDb, openingStore, type ApplicationRow } from "./store.ts";

export interface OpeningLedgerPort {
  append(tx: Tx, entry: { kind: string; subject: string; actor?: string | null; digest?: string; data?: Record<string, unknown> }): Promise<{ index: number }>;
  /** A standalone entry, group-committed (ledger.record): every data read. */
  record(entry: { kind: string; subject: string; actor?: string | null; digest?: string; data?: Record<string, unknown> }): Promise<{ index: number }>;
  digest(value: unknown): string;
  hash: "sm3" | "sha256";
}

export interface OpeningDeps {
  db: Db;
  lake: Lake;
  catalog: CatalogService;
  search: CatalogSearch;
  ingest: IngestService;
  quality?: QualityService;
  orgNames(): Promise<Map<string, string>>;
  ledger: OpeningLedgerPort;
  maskerFor: MaskerFor;
  /** The platform watermark key (protection's `watermarkKey`); null: extracts are not marked. */
  watermarkKey: Buffer | null;
  log?: { warn(o: object, m: string): void; error(o: object, m: string): void };
  /** Anonymous requests per second per client IP on the open paths (token bucket; burst twice that). */
  anonymousRatePerSec?: number;
  /** Notifications of the public's demands, error reports and showcase submissions to whoever must act. */
  notify?: NotifyPort;
  /** The clock of demands, error reports and the showcase (deadlines, figures). */
  now?: () => Date;
  /** One organisation's name, uncached (null: no such organisation); default: from orgNames. */
  orgName?: (id: string) => Promise<string | null>;
}

/** Who reads, and through which key: the key is the metering and watermark recipient. */
export interface AccessContext {
  actor: Actor;
  tokenId?: string;
  /** portal | api | ckan: recorded in the ledger. */
  channel: "portal" | "api" | "ckan";
}

/** A published open entry as the open paths need it. */
export interface OpenEntry {
  id: string;
  code: string;
  name: string;
  providerOrgId: string;
  providerName: string;
  content: EntryContent;
  openType: OpenTypeListed;
  publishedAt: string | null;
  updatedAt: string;
}

/**
 * Read-only actor for metadata the portal shows about open datasets (version history, quality
 * score): these are public facts about public data; it never reads rows.
 */
const PORTAL_READER: Actor = { kind: "user", userId: "system:opening", username: "system:opening", displayName: "开放门户", orgId: "system", roles: ["regulator"], via: "token" };

const OPEN_TYPES = new Set(["无条件开放", "有条件开放"]);
const notFound = () => new NotFoundError({ field: "id", message: "开放数据集不存在", messageEn: "Open dataset not found" });
const userOf = (a: Actor) => (a.kind === "user" ? a.userId : null);
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function createOpeningService(deps: OpeningDeps) {
  const { db, ingest, catalog, search, ledger } = deps;
  const store = openingStore(openingDb(db));
  const index = createOpenIndex({ catalog, search, store });
  const settings = { anonymousRatePerSec: deps.anonymousRatePerSec ?? 20 };

  // ---------------------------------------------------------------- caches (a few seconds)
  const entryCache = new Map<string, { at: number; entry: OpenEntry | null }>();
  let datasetsCache: { at: number; byEntry: Map<string, Dataset> } | null = null;

  async function openEntry(entryId: string): Promise<OpenEntry | null> {
    const hit = entryCache.get(entryId);
    if (hit && Date.now() - hit.at < 3000) return hit.entry;
    let entry: OpenEntry | null = null;
    try {
      const { entry: e } = await catalog.get(ANONYMOUS, entryId);
      if (e.status === "published" && e.publishedVersion != null) {
        // The published content, even when an officer has a draft open.
        const c = (await catalog.visibleContents(ANONYMOUS, [e.id])).get(e.id) ?? e.content;
        if (OPEN_TYPES.has(c.openType))
          entry = { id: e.id, code: e.code, name: ckanName(e.code), providerOrgId: e.provider.id, providerName: e.provider.name, content: c, openType: c.openType as OpenTypeListed, publishedAt: e.publishedAt, updatedAt: e.updatedAt };
      }
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    if (entryCache.size > 5000) entryCache.clear();
    entryCache.set(entryId, { at: Date.now(), entry });
    return entry;
  }

  async function datasetsByEntry(): Promise<Map<string, Dataset>> {
    if (datasetsCache && Date.now() - datasetsCache.at < 2000) return datasetsCache.byEntry;
    const byEntry = new Map((await ingest.listDatasets()).map((d) => [d.entryId, d]));
    datasetsCache = { at: Date.now(), byEntry };
    return byEntry;
  }

  /** An entry id, a CKAN package name (resource code slug) or a dataset id → the open entry (NotFound for 不予开放). */
  async function resolve(idOrName: string): Promise<OpenEntry> {
    let entryId = idOrName;
    if (idOrName.startsWith("ds_")) {
      // CKAN's datastore resource ids are dataset ids: from the (2 s) dataset cache, no query per API call.
      const cached = [...(await datasetsByEntry()).values()].find((d) => d.id === idOrName);
      entryId = cached?.entryId ?? (await ingest.getDataset(idOrName).then((d) => d.entryId, () => ""));
    } else if (!idOrName.startsWith("ent_")) {
      await index.refresh();
      entryId = (await store.entry(idOrName))?.entry_id ?? "";
    }
    const e = entryId ? await openEntry(entryId) : null;
    if (!e) throw notFound();
    return e;
  }

  // ---------------------------------------------------------------- figures (metered in memory, written each second)
  const pending = new Map<string, { downloads: number; api_calls: number; rows: number }>();
  let statsTimer: NodeJS.Timeout | null = null;
  function meter(entryId: string, kind: "downloads" | "api_calls", rows: number) {
    const k = `${shanghaiDay()}|${entryId}`;
    const p = pending.get(k) ?? { downloads: 0, api_calls: 0, rows: 0 };
    p[kind] += 1;
    p.rows += rows;
    pending.set(k, p);
    if (!statsTimer) {
      statsTimer = setTimeout(() => void flushStats().catch((err) => deps.log?.warn({ err: String(err) }, "open figures: flush failed")), 1000);
      statsTimer.unref();
    }
  }
  async function flushStats() {
    if (statsTimer) clearTimeout(statsTimer);
    statsTimer = null;
    const rows = [...pending].map(([k, v]) => ({ day: k.split("|")[0], entry_id: k.split("|")[1], ...v }));
    pending.clear();
    await store.addStats(rows);
  }

  // ---------------------------------------------------------------- the data access (DESIGN.md "one data access")
  async function grantsOf(ctx: AccessContext, e: OpenEntry): Promise<ApplicationRow | null> {
    if (ctx.actor.kind !== "user" || e.openType !== "有条件开放") return null;
    const grants = await store.activeGrants(ctx.actor.userId, e.id);
    return grants.find((g) => !g.token_id || g.token_id === ctx.tokenId) ?? null;
  }

  function maskersFor(e: OpenEntry, cols: SnapshotColumn[]) {
    return cols.map((col) => deps.maskerFor(e.content.grade, (e.content.generalLevel ?? 1) as 1 | 2 | 3 | 4, { name: col.name, type: col.type, sensitive: col.sensitive }));
  }
  function applyMasks(rows: Record<string, RowValue>[], cols: SnapshotColumn[], maskers: ReturnType<typeof maskersFor>) {
    if (!maskers.some(Boolean)) return rows;
    return rows.map((r) => {
      const o: Record<string, RowValue> = { ...r };
      cols.forEach((c, i) => {
        const m = maskers[i];
        if (m) o[c.name] = m(r[c.name] == null ? null : String(r[c.name]));
      });
      return o;
    });
  }

  /** identity → policy → (the caller runs the lake) → …: returns what the later steps need. */
  async function authorize(ctx: AccessContext, idOrName: string, action: "open.data.sample" | "open.data.read") {
    const e = await resolve(idOrName);
    const grant = action === "open.data.read" ? await grantsOf(ctx, e) : null;
    const ref: OpenDataRef = { openType: e.openType, providerOrgId: e.providerOrgId, granted: !!grant };
    if (!can(ctx.actor, action, ref)) {
      if (e.openType === "有条件开放")
        throw ctx.actor.kind === "user"
          ? new ForbiddenError({ field: "id", message: "该数据为有条件开放：请提交申请，经提供部门批准后使用", messageEn: "Conditionally open data: apply, and use it once the provider approves" })
          : new UnauthenticatedError({ field: "authorization", message: "该数据为有条件开放：请登录（或使用 API 密钥）并经申请批准后使用", messageEn: "Conditionally open data: sign in (or use an API key) with an approved application" });
      assertCan(ctx.actor, action, ref);
    }
    const ds = (await datasetsByEntry()).get(e.id) ?? (await ingest.datasetForEntry(e.id));
    if (!ds || ds.currentVersion == null) throw new NotFoundError({ field: "id", message: "该数据集尚未发布数据", messageEn: "This dataset has no data yet" });
    const mark: ExtractMark | null = grant
      ? { recipient: `application:${grant.id}`, label: `开放申请 ${grant.id}（用户 ${grant.applicant_user_id}）` }
      : ctx.tokenId
        ? { recipient: `key:${ctx.tokenId}`, label: `API 密钥 ${ctx.tokenId}` }
        : null;
    return { e, ds, grant, mark };
  }

  async function record(kind: string, ctx: AccessContext, a: { e: OpenEntry; ds: Dataset; grant: ApplicationRow | null; mark: ExtractMark | null }, version: number, digest: string, data: Record<string, unknown>) {
    return ledger.record({
        kind,
        subject: `${a.e.code}#${a.ds.id}@v${version}`,
        actor: userOf(ctx.actor),
        digest,
        data: {
          entryId: a.e.id, datasetId: a.ds.id, version, openType: a.e.openType, channel: ctx.channel,
          ...(ctx.tokenId ? { keyId: ctx.tokenId } : {}),
          ...(ctx.actor.kind === "user" ? { orgId: ctx.actor.orgId } : { anonymous: true }),
          ...(a.grant ? { applicationId: a.grant.id, purpose: a.grant.purpose } : {}),
          ...data,
        },
      });
  }

  function toFilters(filters: FilterSpec[] | undefined): RowFilter[] | undefined {
    return filters?.map((f) => ({ column: f.column, op: f.op, value: f.value }));
  }
  function toColumns(columns: string | string[] | undefined): string[] | undefined {
    if (columns === undefined) return undefined;
    const list = Array.isArray(columns) ? columns : columns.split(",").map((c) => c.trim()).filter(Boolean);
    return list.length ? list : undefined;
  }

  // ---------------------------------------------------------------- presenters
  function summaryOf(it: { id: string; code: string; name: string; summary: string; provider: { id: string; name: string }; theme: string; openType: string; formats: string[]; updateCycle: string; publishedAt: string | null; updatedAt: string; highlight?: string }): OpenDatasetSummary {
    return {
      id: it.id, name: ckanName(it.code), code: it.code, title: it.name, summary: it.summary, provider: it.provider, theme: it.theme, openType: it.openType as OpenTypeListed,
      formats: it.formats, updateCycle: it.updateCycle, publishedAt: it.publishedAt, updatedAt: it.updatedAt, ...(it.highlight ? { highlight: it.highlight } : {}),
    };
  }
  function presentApplication(a: ApplicationRow): ApplicationView {
    return {
      id: a.id, entry: { id: a.entry_id, code: a.entry_code, name: a.entry_name }, providerOrgId: a.provider_org_id,
      applicant: { userId: a.applicant_user_id, orgId: a.applicant_org_id }, tokenId: a.token_id, purpose: a.purpose, scenario: a.scenario, periodDays: a.period_days,
      status: a.status as ApplicationView["status"], reason: a.reason, decidedAt: iso(a.decided_at), expiresAt: iso(a.expires_at), createdAt: iso(a.created_at)!,
    };
  }

  /** 数据需求, 错误报告 (接诉即办 figures) and 利用成果. */
  const feedback = createOpenFeedback({
    db, ledger, notify: deps.notify, catalog, orgNames: deps.orgNames, orgName: deps.orgName, resolve, openEntry, datasetForEntry: (id) => ingest.datasetForEntry(id), now: deps.now,
  });

  const service = {
    settings,
    feedback,
    /** Set the anonymous IP rate (operations; tests). */
    configure(s: { anonymousRatePerSec?: number }) {
      if (s.anonymousRatePerSec !== undefined) settings.anonymousRatePerSec = s.anonymousRatePerSec;
    },
    resolve,
    openEntry,
    datasetsByEntry,
    store,
    /** Bring the open-catalog index (CKAN names, tags) up to date now. */
    refreshIndex: (force = true) => index.refresh(force),
    flushStats,

    // ---------------------------------------------------------------- portal
    /** Home page figures: open datasets, rows, downloads, API calls; the newest and most used datasets. */
    async home() {
      assertCan(ANONYMOUS, "open.portal.read");
      await flushStats();
      const [free, cond] = await Promise.all([
        search.search(ANONYMOUS, { openType: "无条件开放", sort: "published_desc", page: 1, pageSize: 6, facets: "true" } as SearchQuery),
        search.search(ANONYMOUS, { openType: "有条件开放", sort: "published_desc", page: 1, pageSize: 6, facets: "false" } as SearchQuery),
      ]);
      const byEntry = await datasetsByEntry();
      let rows = 0;
      let withData = 0;
      await index.refresh();
      const openIds = new Set((await store.db.selectFrom("open_entries").select("entry_id").execute()).map((r) => r.entry_id));
      for (const [entryId, d] of byEntry) {
        if (!openIds.has(entryId) || d.currentVersion == null) continue;
        const snap = await ingest.current(d.id);
        rows += snap?.rowCount ?? 0;
        withData++;
      }
      const totals = await store.totals();
      const popularRows = await store.popular(6);
      const popular = [];
      for (const p of popularRows) {
        const e = await openEntry(p.entry_id);
        if (e) popular.push({ id: e.id, name: e.name, title: e.content.name, provider: { id: e.providerOrgId, name: e.providerName }, uses: Number(p.n) });
      }
      const latest = [...free.items, ...cond.items].sort((a, b) => (b.publishedAt ?? "").localeCompare(a.publishedAt ?? "")).slice(0, 6).map(summaryOf);
      return {
        figures: {
          openDatasets: free.total + cond.total, unconditional: free.total, conditional: cond.total, withData, rows,
          departments: (free.facets?.provider.length ?? 0), downloads: totals.downloads, apiCalls: totals.apiCalls,
        },
        themes: (free.facets?.theme ?? []).map((b) => ({ theme: b.value, count: b.count })),
        latest,
        popular,
      };
    },

    /**
     * The open catalog: the catalog's search restricted to 无条件 and 有条件开放 (不予开放 never
     * appears). Without an open type, both are searched and merged in the catalog's order.
     */
    async search(q: PortalSearchQuery) {
      assertCan(ANONYMOUS, "open.portal.read");
      const base = { q: q.q, theme: q.theme, provider: q.provider, format: q.format, status: "published", sort: q.sort, facets: "true" } as const;
      const types: OpenTypeListed[] = q.openType ? [q.openType] : ["无条件开放", "有条件开放"];
      const need = q.page * q.pageSize;
      if (types.length > 1 && need > 1000)
        throw new InvalidError({ field: "page", message: "结果页过深（最多到第 1000 条），请缩小检索条件", messageEn: "Page too deep (results up to 1,000); narrow the search" });
      const parts = await Promise.all(types.map(async (openType) => {
        if (types.length === 1) return search.search(ANONYMOUS, { ...base, openType, page: q.page, pageSize: q.pageSize } as SearchQuery);
        // The first `need` results of each, to merge.
        const first = await search.search(ANONYMOUS, { ...base, openType, page: 1, pageSize: Math.min(100, need) } as SearchQuery);
        const items = [...first.items];
        for (let p = 2; items.length < need && items.length < first.total; p++) {
          const more = await search.search(ANONYMOUS, { ...base, openType, page: p, pageSize: 100, facets: "false" } as SearchQuery);
          if (!more.items.length) break;
          items.push(...more.items);
        }
        return { ...first, items };
      }));
      const terms = (q.q ?? "").toLowerCase().split(/\s+/).filter(Boolean);
      const nameHit = (n: string) => (terms.length && terms.every((t) => n.toLowerCase().includes(t)) ? 1 : 0);
      const cmp = (a: (typeof parts)[number]["items"][number], b: typeof a): number => {
        const desc = (x: string | null, y: string | null) => (y ?? "").localeCompare(x ?? "");
        let r = 0;
        if (q.sort === "relevance") r = nameHit(b.name) - nameHit(a.name) || (terms.length ? a.name.length - b.name.length : 0) || desc(a.publishedAt, b.publishedAt) || desc(a.updatedAt, b.updatedAt);
        else if (q.sort === "published_desc") r = desc(a.publishedAt, b.publishedAt);
        else if (q.sort === "name_asc") r = a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
        else r = desc(a.updatedAt, b.updatedAt);
        return r || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      };
      const merged = types.length === 1 ? parts[0].items : parts.flatMap((p) => p.items).sort(cmp).slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
      // Facets: the two searches match disjoint sets (by open type), so counts add up exactly.
      const facets: Record<string, Map<string, { value: string; label: string; count: number }>> = {};
      for (const p of parts) {
        for (const [f, buckets] of Object.entries(p.facets ?? {})) {
          if (!["provider", "theme", "format", "openType", "updateCycle"].includes(f)) continue;
          const m = (facets[f] ??= new Map());
          for (const b of buckets) {
            const cur = m.get(b.value);
            m.set(b.value, { value: b.value, label: b.label, count: (cur?.count ?? 0) + b.count });
          }
        }
      }
      return {
        total: parts.reduce((n, p) => n + p.total, 0),
        ...(parts.some((p) => p.totalIsLowerBound) ? { totalIsLowerBound: true } : {}),
        page: q.page,
        pageSize: q.pageSize,
        items: merged.map(summaryOf),
        facets: Object.fromEntries(Object.entries(facets).map(([f, m]) => [f, [...m.values()].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))])),
      };
    },

    /** A dataset page: metadata, data items, open type and conditions, data state, quality score, update history, usage. */
    async dataset(actor: Actor, idOrName: string) {
      assertCan(actor, "open.portal.read");
      const e = await resolve(idOrName);
      const c = e.content;
      const ds = await ingest.datasetForEntry(e.id);
      let history: { version: number; rows: number; createdAt: string; current: boolean }[] = [];
      let quality: { version: number; score: number | null; dimensions: unknown } | null = null;
      let rows = 0;
      if (ds) {
        history = (await ingest.versions(PORTAL_READER, ds.id)).items.filter((v) => v.kept || v.current).map((v) => ({ version: v.version, rows: v.rowCount, createdAt: v.createdAt, current: v.current }));
        rows = history.find((h) => h.current)?.rows ?? 0;
        if (deps.quality && ds.currentVersion != null) {
          const run = await deps.quality.scoring.run(PORTAL_READER, ds.id, ds.currentVersion).catch(() => null);
          if (run) quality = { version: run.version, score: run.score, dimensions: run.dimensions };
        }
      }
      let access: { canDownload: boolean; canApply: boolean; application: ApplicationView | null } = { canDownload: false, canApply: false, application: null };
      const granted = actor.kind === "user" && e.openType === "有条件开放" ? (await store.activeGrants(actor.userId, e.id))[0] ?? null : null;
      access = {
        canDownload: !!ds?.currentVersion && can(actor, "open.data.read", { openType: e.openType, providerOrgId: e.providerOrgId, granted: !!granted }),
        canApply: e.openType === "有条件开放" && actor.kind === "user" && !granted,
        application: granted ? presentApplication(granted) : null,
      };
      const totals = await store.totals(e.id);
      return {
        dataset: {
          id: e.id, name: e.name, code: e.code, title: c.name, summary: c.summary, provider: { id: e.providerOrgId, name: e.providerName },
          theme: c.theme, domains: c.domains, keywords: c.keywords, openType: e.openType, openConditions: c.openConditions ?? null, updateCycle: c.updateCycle,
          formatCategory: c.formatCategory, formats: c.formats, grade: c.grade, generalLevel: c.generalLevel ?? null, contact: { name: c.contact.name, phone: c.contact.phone, email: c.contact.email ?? null },
          items: c.items.map((i) => ({ name: i.name, nameEn: i.nameEn ?? null, type: i.type, length: i.length ?? null, description: i.description ?? null, sensitive: i.sensitive })),
          publishedAt: e.publishedAt, updatedAt: e.updatedAt,
          datasetId: ds?.id ?? null, currentVersion: ds?.currentVersion ?? null, rows,
          downloadFormats: ds?.currentVersion != null ? ["csv", "xlsx", "json", "parquet"] : [],
        },
        quality,
        history,
        usage: totals,
        access,
        /** 利用成果: approved applications built on this dataset (the first page). */
        showcase: await feedback.showcase.forEntry(actor, e.id, { page: 1, pageSize: 6 }),
      };
    },

    /** 样例数据: the first rows, masked by grade, for anyone (无条件 and 有条件开放); recorded in the ledger. */
    async sample(ctx: AccessContext, idOrName: string) {
      const a = await authorize(ctx, idOrName, "open.data.sample");
      const page = await ingest.selectRows(a.ds.id, { limit: SAMPLE_ROWS, offset: 0 });
      const maskers = maskersFor(a.e, page.columns);
      const rows = applyMasks(page.rows, page.columns, maskers);
      const { index: ledgerIndex } = await record("open.data.sample", ctx, { ...a, grant: null, mark: null }, page.version, ledger.digest(rows), { rows: rows.length, masked: page.columns.filter((_, i) => maskers[i]).map((c) => c.name) });
      meter(a.e.id, "api_calls", rows.length);
      return {
        datasetId: a.ds.id, version: page.version, total: page.total, sample: true,
        columns: page.columns.map((col, i) => ({ name: col.name, type: col.type, masked: !!maskers[i] })), rows, ledgerIndex,
      };
    },

    /** The query API (and CKAN datastore_search): filters, columns, text, sort, paging; masked, watermarked for keys and grants, metered, in the ledger. */
    async query(ctx: AccessContext, idOrName: string, q: { columns?: string | string[]; filters?: FilterSpec[]; q?: string; sort?: { column: string; desc: boolean }[]; limit: number; offset: number }) {
      const a = await authorize(ctx, idOrName, "open.data.read");
      const page = await ingest.selectRows(a.ds.id, { columns: toColumns(q.columns), filters: toFilters(q.filters), q: q.q || undefined, sort: q.sort, limit: q.limit, offset: q.offset });
      const maskers = maskersFor(a.e, page.columns);
      const marked = markExtract(applyMasks(page.rows, page.columns, maskers), page.columns, a.mark, deps.watermarkKey);
      const { index: ledgerIndex } = await record("open.data.query", ctx, a, page.version, ledger.digest(marked.rows), {
        rows: marked.rows.length, total: page.total, offset: q.offset, limit: q.limit,
        ...(q.filters?.length ? { filters: q.filters.map((f) => ({ column: f.column, op: f.op })) } : {}),
        masked: page.columns.filter((_, i) => maskers[i]).map((c) => c.name),
        ...(a.mark && marked.stats ? { watermark: { recipient: a.mark.recipient, label: a.mark.label } } : {}),
      });
      meter(a.e.id, "api_calls", marked.rows.length);
      return {
        datasetId: a.ds.id, entryId: a.e.id, version: page.version, total: page.total, offset: q.offset, limit: q.limit,
        columns: page.columns.map((col, i) => ({ name: col.name, type: col.type, masked: !!maskers[i] })), rows: marked.rows, ledgerIndex,
      };
    },

    /**
     * A download made from the current snapshot: streamed batch by batch into a temporary file
     * (masked, watermarked for a known recipient), digested, recorded in the ledger, then handed to
     * the caller to stream out; `cleanup` removes the file.
     */
    async download(ctx: AccessContext, idOrName: string, q: { format: DownloadFormat; columns?: string; filters?: FilterSpec[] }) {
      const a = await authorize(ctx, idOrName, "open.data.read");
      const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "gongshu-open-"));
      const cleanup = () => fs.promises.rm(dir, { recursive: true, force: true });
      try {
        const file = tempExtractPath(dir, q.format);
        let writer: Awaited<ReturnType<typeof openWriter>> | null = null;
        let maskers: ReturnType<typeof maskersFor> = [];
        let marked = 0;
        const cols = toColumns(q.columns);
        const r = await ingest.streamRows(a.ds.id, { columns: cols, filters: toFilters(q.filters) }, async (rows, columns) => {
          if (!writer) {
            maskers = maskersFor(a.e, columns);
            writer = await openWriter(q.format, file, columns.map((c, i): OutColumn => ({ name: c.name, duckType: c.duckType, masked: !!maskers[i] })), deps.lake);
          }
          const m = markExtract(applyMasks(rows, columns, maskers), columns, a.mark, deps.watermarkKey);
          marked += m.stats?.markedCells ?? 0;
          await writer.write(m.rows);
        });
        if (!writer) {
          // No rows: still a well-formed (empty) file with the header.
          maskers = maskersFor(a.e, r.columns);
          writer = await openWriter(q.format, file, r.columns.map((c, i): OutColumn => ({ name: c.name, duckType: c.duckType, masked: !!maskers[i] })), deps.lake);
        }
        await (writer as Awaited<ReturnType<typeof openWriter>>).finish();
        const digest = await fileDigest(file, ledger.hash);
        const bytes = (await fs.promises.stat(file)).size;
        const { index: ledgerIndex } = await record("open.data.download", ctx, a, r.version, digest, {
          format: q.format, rows: r.rows, bytes,
          ...(q.filters?.length ? { filters: q.filters.map((f) => ({ column: f.column, op: f.op })) } : {}),
          masked: r.columns.filter((_, i) => maskers[i]).map((c) => c.name),
          ...(a.mark ? { watermark: { recipient: a.mark.recipient, label: a.mark.label }, markedCells: marked } : {}),
        });
        meter(a.e.id, "downloads", r.rows);
        const filename = `${a.e.content.name}-v${r.version}.${q.format}`;
        return { file, filename, contentType: CONTENT_TYPES[q.format], bytes, digest, ledgerIndex, rows: r.rows, version: r.version, cleanup };
      } catch (err) {
        await cleanup();
        throw err;
      }
    },

    // ---------------------------------------------------------------- 有条件开放 applications
    async apply(ctx: AccessContext, idOrName: string, body: ApplyBody): Promise<ApplicationView> {
      assertCan(ctx.actor, "open.application.create");
      if (ctx.actor.kind !== "user") throw new Error("unreachable");
      const e = await resolve(idOrName);
      if (e.openType !== "有条件开放")
        throw new ConflictError({ field: "id", message: "无条件开放的数据无需申请，可直接下载或调用", messageEn: "Unconditionally open data needs no application" });
      if (await store.pendingOf(ctx.actor.userId, e.id))
        throw new ConflictError({ field: "id", message: "你已有一份待审核的申请", messageEn: "You already have an application under review" });
      // A grant bound to a key id that is not the applicant's never matches: requests are matched on
      // the applicant's user id first, then the key.
      const row = {
        id: newId("oap"), entry_id: e.id, entry_code: e.code, entry_name: e.content.name, provider_org_id: e.providerOrgId,
        applicant_user_id: ctx.actor.userId, applicant_org_id: ctx.actor.orgId, token_id: body.tokenId ?? null, purpose: body.purpose, scenario: body.scenario ?? null,
        period_days: body.periodDays, status: "submitted", reason: null, decided_by: null, decided_at: null, expires_at: null, ledger_index: null,
      };
      await db.transaction().execute(async (tx) => {
        const { index: li } = await ledger.append(tx, {
          kind: "open.application.submitted", subject: `${e.code}#${row.id}`, actor: ctx.actor.kind === "user" ? ctx.actor.userId : null,
          digest: ledger.digest({ purpose: row.purpose, scenario: row.scenario, periodDays: row.period_days, commitment: true }),
          data: { applicationId: row.id, entryId: e.id, applicantOrgId: row.applicant_org_id, periodDays: row.period_days, ...(row.token_id ? { keyId: row.token_id } : {}) },
        });
        await openingStore(openingDb(tx)).insertApplication({ ...row, ledger_index: li });
      });
      return presentApplication({ ...row, created_at: new Date() } as ApplicationRow);
    },

    async applications(actor: Actor, q: { view: "mine" | "review"; status?: string; limit: number }) {
      if (actor.kind !== "user") throw new Error("unreachable");
      if (q.view === "mine") return { items: (await store.applications({ applicantUserId: actor.userId, status: q.status, limit: q.limit })).map(presentApplication) };
      assertCan(actor, "open.application.review");
      const admin = actor.roles.includes("platform_admin");
      return { items: (await store.applications({ providerOrgId: admin ? undefined : actor.orgId, status: q.status, limit: q.limit })).map(presentApplication) };
    },

    async application(actor: Actor, id: string): Promise<ApplicationView> {
      const a = await store.application(id);
      const ref: ApplicationRef | undefined = a ? { providerOrgId: a.provider_org_id, applicantUserId: a.applicant_user_id } : undefined;
      if (!a || !can(actor, "open.application.read", ref)) throw new NotFoundError({ field: "id", message: "申请不存在", messageEn: "Application not found" });
      return presentApplication(a);
    },

    /** The provider department approves (a grant for the period) or refuses (with a reason); in the ledger. */
    async decide(actor: Actor, id: string, body: DecisionBody): Promise<ApplicationView> {
      const a = await store.application(id);
      if (!a || !can(actor, "open.application.read", { providerOrgId: a.provider_org_id, applicantUserId: a.applicant_user_id }))
        throw new NotFoundError({ field: "id", message: "申请不存在", messageEn: "Application not found" });
      assertCan(actor, "open.application.review", { providerOrgId: a.provider_org_id, applicantUserId: a.applicant_user_id });
      if (a.status !== "submitted") throw new ConflictError({ field: "id", message: `申请已${a.status === "approved" ? "批准" : a.status === "refused" ? "拒绝" : "撤销"}，不能再次审核`, messageEn: `The application is already ${a.status}` });
      const now = new Date();
      const set = {
        status: body.decision === "approve" ? "approved" : "refused", reason: body.reason ?? null, decided_by: userOf(actor), decided_at: now,
        expires_at: body.decision === "approve" ? new Date(now.getTime() + a.period_days * 86400_000) : null,
      };
      await db.transaction().execute(async (tx) => {
        const s = openingStore(openingDb(tx));
        const cur = await s.application(id);
        if (cur?.status !== "submitted") throw new ConflictError({ field: "id", message: "申请刚被处理过", messageEn: "The application was just decided" });
        await ledger.append(tx, {
          kind: body.decision === "approve" ? "open.application.approved" : "open.application.refused", subject: `${a.entry_code}#${a.id}`, actor: userOf(actor),
          data: { applicationId: a.id, entryId: a.entry_id, applicantUserId: a.applicant_user_id, ...(set.expires_at ? { expiresAt: set.expires_at.toISOString() } : {}), ...(body.reason ? { reason: body.reason } : {}) },
        });
        await s.updateApplication(id, set);
      });
      return presentApplication((await store.application(id))!);
    },

    async close() {
      await flushStats().catch(() => undefined);
    },
  };
  return service;
}

export type OpeningService = ReturnType<typeof createOpeningService>;
