import type { FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { sql } from "kysely";
import { z } from "zod";
import { DomainError } from "../../core/errors.ts";
import type { App } from "../../core/http.ts";
import type { Dataset } from "../ingest/index.ts";
import { assertCan } from "../policy/index.ts";
import type { EntryContent } from "../catalog/index.ts";
import { anonymousLimiter, contextOf } from "./routes.ts";
import { FiltersParam, MAX_API_ROWS, parseSort, type FilterSpec } from "./schema.ts";
import type { OpeningService } from "./service.ts";
import type { OpenEntryRow } from "./store.ts";

/**
 * The CKAN Action API v3 (`/api/3/action/<name>`, also `/api/action/<name>`), read side, over the
 * open catalog, so CKAN clients and harvesters (ckanapi, ckanext-harvest, DCAT harvesters) work
 * unchanged: CKAN's envelope `{help, success, result}`, CKAN's error envelope and statuses
 * (404 Not Found Error, 409 Validation Error, 403 Authorization Error), GET with query parameters
 * or POST with a JSON (or form) body, and keys in `Authorization: <key>` or `X-CKAN-API-KEY`.
 *
 * Mapping: a catalog entry is a package (name = its resource code as a slug, e.g. 101001-000001);
 * its provider department is the organization; its theme is a group; keywords are tags; its data
 * is one resource per download format, the first (CSV) being the DataStore resource whose id is the
 * dataset id (datastore_search reads it, masked, metered and in the ledger like every open read).
 */

export const CKAN_VERSION = "2.10.4";
const FORMATS = [
  { ext: "csv", format: "CSV", mimetype: "text/csv" },
  { ext: "xlsx", format: "XLSX", mimetype: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
  { ext: "json", format: "JSON", mimetype: "application/json" },
  { ext: "parquet", format: "Parquet", mimetype: "application/vnd.apache.parquet" },
] as const;
const DATASTORE_TYPES: Record<string, string> = { 字符型: "text", 整数型: "int", 数值型: "numeric", 日期型: "date", 日期时间型: "timestamp", 布尔型: "bool", 二进制型: "text" };
const MAX_ROWS = 1000;

/** CKAN's timestamps: UTC without a zone suffix, e.g. 2026-01-05T08:00:00.123456. */
const ckanTime = (d: Date | string | null) => (d ? `${new Date(d).toISOString().slice(0, 23)}000` : null);

class CkanError extends Error {
  constructor(readonly status: number, readonly type: string, readonly body: Record<string, unknown>) {
    super(String(body.message ?? type));
  }
}
const validation = (field: string, message: string) => new CkanError(409, "Validation Error", { message, [field]: [message] });

type Params = Record<string, unknown>;
const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : Array.isArray(v) ? String(v[v.length - 1]) : String(v));
function int(p: Params, name: string, def: number, max?: number): number {
  const s = str(p[name]);
  if (s === undefined || s === "") return def;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) throw validation(name, `Invalid integer: ${name} 应为非负整数`);
  if (max !== undefined && n > max) throw validation(name, `Must be less than or equal to ${max}: ${name} 最大为 ${max}`);
  return n;
}
function bool(p: Params, name: string, def: boolean): boolean {
  const s = str(p[name]);
  if (s === undefined || s === "") return def;
  return /^(true|1|yes|on)$/i.test(s);
}
/** A list parameter: a JSON list, a list (repeated or POSTed), or comma separated text. */
function list(v: unknown): string[] | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  if (Array.isArray(v)) return v.map(String);
  const s = String(v).trim();
  if (s.startsWith("[")) {
    try {
      const a = JSON.parse(s);
      if (Array.isArray(a)) return a.map(String);
    } catch {
      /* fall through */
    }
  }
  return s.split(",").map((x) => x.trim()).filter(Boolean);
}

// ------------------------------------------------------------------ Solr-ish query parsing (the subset CKAN clients send)

interface Clause {
  field: string | null;
  value: string;
  /** [from TO to] range (metadata_modified), with * for open ends. */
  range?: { from: string | null; to: string | null };
}
function parseSolr(s: string): Clause[] {
  const out: Clause[] = [];
  const re = /([+-]?)(?:([A-Za-z_.]+):)?(?:"((?:[^"\\]|\\.)*)"|\[([^\]]*)\]|(\S+))/g;
  for (const m of s.matchAll(re)) {
    const field = m[2] ?? null;
    if (m[4] !== undefined) {
      const [from, to] = m[4].split(/\s+TO\s+/i).map((x) => x.trim());
      out.push({ field, value: m[4], range: { from: from && from !== "*" ? from : null, to: to && to !== "*" ? to : null } });
    } else out.push({ field, value: (m[3] ?? m[5] ?? "").replace(/\\(.)/g, "$1") });
  }
  return out;
}

export interface CkanDeps {
  opening: OpeningService;
  orgs: { listOrgs(): Promise<{ id: string; name: string; shortName: string | null; kind: string }[]> };
}

export async function ckanRoutes(app: App, deps: CkanDeps) {
  const { opening } = deps;
  const store = opening.store;

  async function orgMap() {
    return new Map((await deps.orgs.listOrgs()).map((o) => [o.id, o]));
  }

  function organizationDict(id: string, orgs: Map<string, { id: string; name: string; shortName: string | null }>, count?: number) {
    const o = orgs.get(id);
    return {
      id, name: id, title: o?.name ?? id, display_name: o?.name ?? id, type: "organization", description: o?.shortName ?? "", image_url: "", image_display_url: "",
      created: null, is_organization: true, approval_status: "approved", state: "active", ...(count !== undefined ? { package_count: count } : {}),
    };
  }
  const groupDict = (theme: string, count?: number) => ({
    id: theme, name: theme, title: theme, display_name: theme, type: "group", description: "", image_url: "", image_display_url: "", is_organization: false,
    approval_status: "approved", state: "active", ...(count !== undefined ? { package_count: count } : {}),
  });
  const tagDict = (t: string) => ({ id: t, name: t, display_name: t, state: "active", vocabulary_id: null });

  function resources(base: string, row: OpenEntryRow, ds: Dataset | undefined) {
    if (!ds || ds.currentVersion == null) return [];
    return FORMATS.map((f, i) => ({
      id: i === 0 ? ds.id : `${ds.id}.${f.ext}`,
      package_id: row.entry_id,
      name: `${row.title}（${f.format}）`,
      description: i === 0 ? "DataStore 资源：可用 datastore_search 查询（脱敏）" : `${f.format} 格式下载（脱敏）`,
      format: f.format,
      mimetype: f.mimetype,
      url: `${base}/api/open/datasets/${row.entry_id}/download?format=${f.ext}`,
      url_type: null,
      state: "active",
      position: i,
      created: ckanTime(ds.createdAt),
      last_modified: ckanTime(ds.updatedAt),
      metadata_modified: ckanTime(ds.updatedAt),
      datastore_active: i === 0,
      size: null,
      hash: "",
      cache_url: null,
      resource_type: null,
    }));
  }

  function packageDict(base: string, row: OpenEntryRow, orgs: Map<string, { id: string; name: string; shortName: string | null }>, ds: Dataset | undefined) {
    const c = (typeof row.content === "string" ? JSON.parse(row.content) : row.content) as EntryContent;
    const res = resources(base, row, ds);
    return {
      id: row.entry_id,
      name: row.name,
      title: row.title,
      notes: row.notes,
      type: "dataset",
      state: "active",
      private: false,
      isopen: row.open_type === "无条件开放",
      license_id: row.open_type === "无条件开放" ? "other-open" : "other-closed",
      license_title: row.open_type === "无条件开放" ? "无条件开放" : "有条件开放（需申请）",
      author: orgs.get(row.provider_org_id)?.name ?? null,
      author_email: null,
      maintainer: c.contact?.name ?? null,
      maintainer_email: c.contact?.email ?? null,
      url: `${base}/open/datasets/${row.name}`,
      version: ds?.currentVersion != null ? String(ds.currentVersion) : null,
      owner_org: row.provider_org_id,
      organization: organizationDict(row.provider_org_id, orgs),
      metadata_created: ckanTime(row.published_at ?? row.updated_at),
      metadata_modified: ckanTime(row.updated_at),
      tags: row.tags.map(tagDict),
      num_tags: row.tags.length,
      groups: [groupDict(row.theme)],
      resources: res,
      num_resources: res.length,
      extras: [
        { key: "resource_code", value: row.code },
        { key: "open_type", value: row.open_type },
        { key: "update_cycle", value: row.update_cycle },
        { key: "grade", value: c.grade },
        ...(c.openConditions ? [{ key: "open_conditions", value: c.openConditions }] : []),
      ],
      relationships_as_object: [],
      relationships_as_subject: [],
    };
  }

  // ---------------------------------------------------------------- actions
  type Ctx = { req: FastifyRequest; base: string; p: Params };
  const actions: Record<string, (c: Ctx) => Promise<unknown>> = {
    async status_show({ base }) {
      return { site_title: "公数开放平台", site_description: "公共数据开放（CKAN 兼容接口）", site_url: base, ckan_version: CKAN_VERSION, error_emails_to: null, locale_default: "zh_Hans_CN", extensions: ["datastore"] };
    },

    async package_list({ p }) {
      await opening.refreshIndex(false);
      const limit = int(p, "limit", 100_000, 100_000);
      const offset = int(p, "offset", 0);
      const names = await store.db.selectFrom("open_entries").select("name").orderBy("name").limit(limit).offset(offset).execute();
      return names.map((n) => n.name);
    },

    async package_search({ p, base }) {
      await opening.refreshIndex(false);
      const rows = int(p, "rows", 10, MAX_ROWS);
      const start = int(p, "start", 0);
      const facetLimit = int(p, "facet.limit", 50);
      const facetFields = list(p["facet.field"]) ?? [];
      const FACETABLE = ["organization", "groups", "tags", "res_format", "license_id"];
      for (const f of facetFields) if (!FACETABLE.includes(f)) throw validation("facet.field", `Unknown facet field: ${f}（可用：${FACETABLE.join(", ")}）`);

      let q = store.db.selectFrom("open_entries").select(["entry_id", "name", "title", "provider_org_id", "theme", "tags", "open_type", "updated_at", "published_at", "search_text"]);
      const datasets = await opening.datasetsByEntry();
      let needFormat: string | null = null;
      const apply = (cl: Clause, where: "q" | "fq") => {
        const v = cl.value;
        switch (cl.field) {
          case null:
          case "text":
            if (v === "*" || v === "*:*" || v === "") return;
            q = q.where("search_text", "like", `%${v.normalize("NFKC").toLowerCase().replace(/[\\%_]/g, (x) => `\\${x}`)}%`);
            return;
          case "*":
            return;
          case "organization":
          case "owner_org":
            q = q.where("provider_org_id", "=", v);
            return;
          case "groups":
            q = q.where("theme", "=", v);
            return;
          case "tags":
            q = q.where(sql<boolean>`tags @> ${sql.val([v])}::text[]`);
            return;
          case "name":
            q = q.where("name", "=", v);
            return;
          case "id":
            q = q.where("entry_id", "=", v);
            return;
          case "title":
            q = q.where(sql<boolean>`lower(title) like ${`%${v.toLowerCase()}%`}`);
            return;
          case "res_format":
            needFormat = v.toLowerCase();
            return;
          case "license_id":
            q = q.where("open_type", "=", v === "other-open" ? "无条件开放" : "有条件开放");
            return;
          case "metadata_modified":
          case "metadata_created": {
            const col = cl.field === "metadata_modified" ? "updated_at" : "published_at";
            const r = cl.range;
            if (!r) throw validation(where, `${cl.field} 需写成区间，如 [2026-01-01T00:00:00Z TO *]`);
            const at = (x: string) => {
              const d = new Date(x.replace(/NOW/i, new Date().toISOString()));
              if (Number.isNaN(d.getTime())) throw validation(where, `无效的时间：${x}`);
              return d;
            };
            if (r.from) q = q.where(col, ">=", at(r.from));
            if (r.to) q = q.where(col, "<=", at(r.to));
            return;
          }
          case "dataset_type":
          case "type":
          case "site_id":
          case "capacity":
          case "state":
            return; // every open package is a public, active dataset of this site
          default:
            throw validation(where, `Unsupported search field: ${cl.field}`);
        }
      };
      const qText = str(p.q) ?? "";
      if (qText.length > 500) throw validation("q", "q 过长（最多 500 个字符）");
      for (const cl of parseSolr(qText)) apply(cl, "q");
      for (const cl of parseSolr(str(p.fq) ?? "")) apply(cl, "fq");
      for (const fq of list(p.fq_list) ?? []) for (const cl of parseSolr(fq)) apply(cl, "fq");

      const SORTS: Record<string, string> = { metadata_modified: "updated_at", metadata_created: "published_at", name: "name", title_string: "title", score: "score" };
      const sorts = (str(p.sort) ?? "score desc, metadata_modified desc").split(",").map((s) => s.trim()).filter(Boolean).map((s) => {
        const [field, dir = "asc"] = s.split(/\s+/);
        if (!SORTS[field] || !/^(asc|desc)$/i.test(dir)) throw validation("sort", `Invalid sort: ${s}`);
        return { col: SORTS[field], desc: dir.toLowerCase() === "desc" };
      });
      for (const s of sorts) if (s.col !== "score") q = q.orderBy(sql.ref(s.col), s.desc ? "desc" : "asc");
      q = q.orderBy("name");
      let matched = await q.execute();
      const hasData = (id: string) => datasets.get(id)?.currentVersion != null;
      if (needFormat) matched = matched.filter((r) => hasData(r.entry_id) && FORMATS.some((f) => f.format.toLowerCase() === needFormat));
      const page = matched.slice(start, start + rows);
      const full = await store.entriesByIds(page.map((r) => r.entry_id));
      const byId = new Map(full.map((r) => [r.entry_id, r]));
      const orgs = await orgMap();
      const results = page.map((r) => packageDict(base, byId.get(r.entry_id)!, orgs, datasets.get(r.entry_id)));

      const facets: Record<string, Record<string, number>> = {};
      const searchFacets: Record<string, { title: string; items: { name: string; display_name: string; count: number }[] }> = {};
      for (const f of facetFields) {
        const counts = new Map<string, number>();
        const add = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
        for (const r of matched) {
          if (f === "organization") add(r.provider_org_id);
          else if (f === "groups") add(r.theme);
          else if (f === "tags") r.tags.forEach(add);
          else if (f === "license_id") add(r.open_type === "无条件开放" ? "other-open" : "other-closed");
          else if (f === "res_format" && hasData(r.entry_id)) FORMATS.forEach((x) => add(x.format));
        }
        const top = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, facetLimit);
        facets[f] = Object.fromEntries(top);
        searchFacets[f] = {
          title: f,
          items: top.map(([name, count]) => ({ name, display_name: f === "organization" ? (orgs.get(name)?.name ?? name) : name, count })),
        };
      }
      return { count: matched.length, sort: sorts.map((s) => `${Object.keys(SORTS).find((k) => SORTS[k] === s.col)} ${s.desc ? "desc" : "asc"}`).join(", "), facets, search_facets: searchFacets, results };
    },

    async package_show({ p, base }) {
      const id = str(p.id) ?? str(p.name_or_id);
      if (!id) throw validation("id", "Missing value");
      await opening.refreshIndex(false);
      const row = await store.entry(id);
      if (!row) throw new CkanError(404, "Not Found Error", { message: "Not found: 开放数据集不存在" });
      return packageDict(base, row, await orgMap(), (await opening.datasetsByEntry()).get(row.entry_id));
    },

    async organization_list({ p }) {
      await opening.refreshIndex(false);
      const counts = await store.db.selectFrom("open_entries").select(["provider_org_id", sql<number>`count(*)::int`.as("n")]).groupBy("provider_org_id").execute();
      const orgs = await orgMap();
      let items = counts.map((c) => organizationDict(c.provider_org_id, orgs, Number(c.n)));
      const sort = str(p.sort) ?? "title asc";
      if (/^package_count/.test(sort)) items.sort((a, b) => (b.package_count ?? 0) - (a.package_count ?? 0));
      else items.sort((a, b) => (/^name/.test(sort) ? a.name.localeCompare(b.name) : a.title.localeCompare(b.title, "zh")));
      if (/ desc$/.test(sort) && !/^package_count/.test(sort)) items.reverse();
      const only = list(p.organizations);
      if (only) items = items.filter((o) => only.includes(o.name));
      items = items.slice(int(p, "offset", 0), int(p, "offset", 0) + int(p, "limit", 1000, 1000));
      return bool(p, "all_fields", false) ? items : items.map((o) => o.name);
    },

    async organization_show({ p, base }) {
      const id = str(p.id);
      if (!id) throw validation("id", "Missing value");
      await opening.refreshIndex(false);
      const orgs = await orgMap();
      const pk = await store.db.selectFrom("open_entries").selectAll().where("provider_org_id", "=", id).orderBy("name").execute();
      if (!pk.length) throw new CkanError(404, "Not Found Error", { message: "Not found: 组织不存在或没有开放数据" });
      const datasets = await opening.datasetsByEntry();
      const dict = organizationDict(id, orgs, pk.length);
      return bool(p, "include_datasets", false) ? { ...dict, packages: pk.slice(0, 1000).map((r) => packageDict(base, r, orgs, datasets.get(r.entry_id))) } : dict;
    },

    async group_list({ p }) {
      await opening.refreshIndex(false);
      const counts = await store.db.selectFrom("open_entries").select(["theme", sql<number>`count(*)::int`.as("n")]).groupBy("theme").orderBy("theme").execute();
      const items = counts.map((c) => groupDict(c.theme, Number(c.n)));
      return bool(p, "all_fields", false) ? items : items.map((g) => g.name);
    },

    async tag_list({ p }) {
      await opening.refreshIndex(false);
      const query = str(p.query) ?? str(p.q);
      const r = await sql<{ tag: string }>`select distinct t as tag from open_entries cross join lateral unnest(tags) as x(t) order by t`.execute(store.db);
      const tags = r.rows.map((x) => x.tag).filter((t) => !query || t.toLowerCase().includes(query.toLowerCase()));
      return bool(p, "all_fields", false) ? tags.map(tagDict) : tags;
    },

    async resource_show({ p, base }) {
      const id = str(p.id);
      if (!id) throw validation("id", "Missing value");
      const dsId = id.replace(/\.(csv|xlsx|json|parquet)$/, "");
      const notFound = new CkanError(404, "Not Found Error", { message: "Not found: 资源不存在" });
      if (!dsId.startsWith("ds_")) throw notFound;
      const entry = await opening.resolve(dsId).catch(() => null);
      if (!entry) throw notFound;
      const row = await store.entry(entry.id);
      const ds = (await opening.datasetsByEntry()).get(entry.id);
      const res = row ? resources(base, row, ds).find((r) => r.id === id) : undefined;
      if (!res) throw notFound;
      return res;
    },

    async datastore_search({ req, p, base }) {
      const resourceId = str(p.resource_id) ?? str(p.id);
      if (!resourceId) throw validation("resource_id", "Missing value");
      if (!resourceId.startsWith("ds_") || resourceId.includes(".")) throw new CkanError(404, "Not Found Error", { message: `Not found: Resource "${resourceId}" was not found（不是 DataStore 资源）` });
      const limit = int(p, "limit", 100, MAX_API_ROWS);
      const offset = int(p, "offset", 0);
      const fmt = str(p.records_format) ?? "objects";
      if (fmt !== "objects") throw validation("records_format", "Only records_format=objects is supported");
      let filters: FilterSpec[] | undefined;
      const rawFilters = p.filters;
      if (rawFilters !== undefined && rawFilters !== "") {
        const text = typeof rawFilters === "string" ? rawFilters : JSON.stringify(rawFilters);
        const r = FiltersParam.safeParse(text);
        if (!r.success) throw validation("filters", `filters 无效：${r.error.issues[0]?.message ?? "应为 JSON 对象"}`);
        filters = r.data;
      }
      let qText: string | undefined;
      const rawQ = p.q;
      if (rawQ && typeof rawQ === "object" && !Array.isArray(rawQ)) {
        // CKAN's per-field text search {"column": "text"}: a contains filter per column.
        filters = [...(filters ?? []), ...Object.entries(rawQ as Record<string, unknown>).map(([column, value]) => ({ column, op: "like" as const, value: String(value) }))];
      } else if (typeof rawQ === "string" && rawQ.trim().startsWith("{")) {
        try {
          const o = JSON.parse(rawQ) as Record<string, unknown>;
          filters = [...(filters ?? []), ...Object.entries(o).map(([column, value]) => ({ column, op: "like" as const, value: String(value) }))];
        } catch {
          throw validation("q", "q 不是合法的 JSON 对象");
        }
      } else qText = str(rawQ);
      const fields = list(p.fields);
      const r = await opening.query(contextOf(req, "ckan"), resourceId, { columns: fields, filters, q: qText, sort: parseSort(str(p.sort)), limit, offset });
      const link = (o: number) => {
        const u = new URLSearchParams({ resource_id: resourceId, ...(o ? { offset: String(o) } : {}) });
        if (limit !== 100) u.set("limit", String(limit));
        return `/api/3/action/datastore_search?${u}`;
      };
      return {
        include_total: bool(p, "include_total", true),
        resource_id: resourceId,
        fields: r.columns.map((c) => ({ id: c.name, type: DATASTORE_TYPES[c.type] ?? "text", info: { label: c.name, notes: c.masked ? "已按数据分级脱敏" : "" } })),
        records_format: "objects",
        records: r.rows,
        limit,
        offset,
        total: r.total,
        total_was_estimated: false,
        _links: { start: link(0), next: link(offset + limit) },
      };
    },
  };

  const helpOf = (base: string, action: string) => `${base}/api/3/action/help_show?name=${encodeURIComponent(action)}`;
  const baseOf = (req: FastifyRequest) => `${req.protocol}://${req.headers.host ?? "localhost"}`;

  await app.register(async (sub: App) => {
    sub.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
      const o: Record<string, string | string[]> = {};
      for (const [k, v] of new URLSearchParams(String(body))) o[k] = k in o ? [...[o[k]].flat(), v] : v;
      done(null, o);
    });
    sub.addHook("onRequest", anonymousLimiter(opening));

    // CKAN's error envelope for everything under this prefix (also key errors from authentication).
    sub.setErrorHandler((err: unknown, req, reply: FastifyReply) => {
      const action = (req.params as { action?: string } | undefined)?.action ?? "";
      const help = helpOf(baseOf(req), action);
      const send = (status: number, type: string, body: Record<string, unknown>) => reply.status(status).send({ help, success: false, error: { __type: type, ...body } });
      if (err instanceof CkanError) return send(err.status, err.type, err.body);
      if (err instanceof DomainError) {
        const body = { message: `${err.messageZh} / ${err.messageEn}`, ...(err.field ? { [err.field]: [err.messageZh] } : {}) };
        switch (err.code) {
          case "not_found": return send(404, "Not Found Error", body);
          case "invalid": case "conflict": case "too_large": return send(409, "Validation Error", body);
          case "unauthenticated": case "forbidden": return send(403, "Authorization Error", body);
          case "rate_limited": return send(429, "Rate Limit Error", { ...body, ...(err.details && typeof err.details === "object" ? err.details : {}) });
        }
      }
      if (hasZodFastifySchemaValidationErrors(err)) return send(409, "Validation Error", { message: "参数无效" });
      const e = err as { statusCode?: number; message?: string };
      if (typeof e.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) return send(400, "Bad Request", { message: e.message ?? "Bad request" });
      req.log.error({ err }, "ckan action failed");
      return send(500, "Internal Server Error", { message: "服务器内部错误 / Internal server error" });
    });

    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const { action } = req.params as { action: string };
      const fn = Object.hasOwn(actions, action) ? actions[action] : undefined;
      if (!fn) return reply.status(400).send({ help: helpOf(baseOf(req), action), success: false, error: { __type: "Bad Request", message: `Bad request - Action name not known: ${action}` } });
      const body = req.body && typeof req.body === "object" && !Buffer.isBuffer(req.body) ? (req.body as Params) : {};
      const p: Params = { ...(req.query as Params), ...body };
      assertCan(req.actor, "open.portal.read");
      const result = await fn({ req, p, base: baseOf(req) });
      return { help: helpOf(baseOf(req), action), success: true, result };
    };
    const Params = z.object({ action: z.string().min(1).max(64).regex(/^[a-z_]+$/) });
    for (const prefix of ["/api/3/action", "/api/action"]) {
      sub.get(`${prefix}/:action`, { config: { policy: "open.portal.read" }, schema: { tags: ["ckan"], summary: "CKAN Action API v3（只读：package_search、package_show、datastore_search 等）", params: Params } }, handler);
      sub.post(`${prefix}/:action`, { config: { policy: "open.portal.read" }, schema: { tags: ["ckan"], summary: "CKAN Action API v3（POST JSON）", params: Params } }, handler);
    }
  });
}
