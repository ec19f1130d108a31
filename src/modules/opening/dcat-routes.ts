import { z } from "zod";
import type { FastifyReply } from "fastify";
import type { App } from "../../core/http.ts";
import { anyUser, defineAction } from "../policy/index.ts";
import { createDcatExport, MAX_PAGE_SIZE, toJsonLd, toTurtle, type DcatDeps, type DcatOptions, type Graph } from "./dcat.ts";

/** The DCAT export is public metadata of the open catalog: anyone, no login. */
defineAction("open.dcat.read", { anonymous: true, rule: anyUser });

export const DEFAULT_BASE_URL = "http://localhost:8080";

export interface DcatRouteDeps extends DcatDeps, Partial<Omit<DcatOptions, "baseUrl">> {
  /** The server's public origin, the base of every IRI (default http://localhost:8080). */
  baseUrl?: string;
}

type Format = "ttl" | "jsonld";
const CONTENT_TYPE: Record<Format, string> = { ttl: "text/turtle; charset=utf-8", jsonld: "application/ld+json; charset=utf-8" };
const MEDIA: Record<string, Format> = { "text/turtle": "ttl", "application/x-turtle": "ttl", "application/ld+json": "jsonld", "application/json": "jsonld" };

/**
 * Content negotiation on Accept: text/turtle (or application/x-turtle) → Turtle, application/ld+json
 * (or application/json) → JSON-LD, by q-value; Turtle on a tie, for wildcards and when neither is named.
 */
export function negotiate(accept: string | undefined): Format {
  const q: Record<Format, number> = { ttl: -1, jsonld: -1 };
  for (const part of (accept ?? "").split(",")) {
    const [range, ...params] = part.trim().toLowerCase().split(";").map((x) => x.trim());
    const f = MEDIA[range];
    if (!f) continue;
    const qp = params.find((p) => p.startsWith("q="));
    const v = qp ? Number.parseFloat(qp.slice(2)) : 1;
    q[f] = Math.max(q[f], Number.isFinite(v) ? v : 0);
  }
  return q.jsonld > q.ttl && q.jsonld > 0 ? "jsonld" : "ttl";
}

const FormatParam = z.enum(["ttl", "jsonld"]);
const PageQuery = {
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(100),
};
const CatalogQuery = z.object({ ...PageQuery, format: FormatParam.optional() }).strict();
const CatalogFileQuery = z.object(PageQuery).strict();
const DatasetParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}(\.(ttl|jsonld))?$/, "数据集标识无效") }).strict();
const DatasetQuery = z.object({ format: FormatParam.optional() }).strict();

/**
 * DCAT-AP 3.0.1 export of the open catalog, public:
 *   GET /api/open/dcat/catalog[?page&pageSize&format]   the catalog (IRI of the dcat:Catalog), negotiated
 *   GET /api/open/dcat/catalog.ttl | catalog.jsonld      the same, fixed format
 *   GET /api/open/dcat/datasets/:id[?format]            one dataset (IRI of the dcat:Dataset), negotiated
 *   GET /api/open/dcat/datasets/:id.ttl | :id.jsonld     the same, fixed format
 * `format=ttl|jsonld` overrides the Accept header. The catalog pages by publication order (hydra view
 * with first/next/last links when it spans several pages; pageSize ≤ 500, default 100).
 * Unknown, unpublished and 不予开放 datasets are 404.
 */
export async function dcatRoutes(app: App, deps: DcatRouteDeps) {
  const baseUrl = (deps.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, "");
  const u = new URL(baseUrl);
  if ((u.protocol !== "http:" && u.protocol !== "https:") || u.search || u.hash)
    throw new Error(`DCAT base URL must be an http(s) URL without query or fragment, got ${baseUrl}`);
  const dcat = createDcatExport(deps, { baseUrl, landingPath: deps.landingPath, licenseUrl: deps.licenseUrl, catalogTitle: deps.catalogTitle, catalogDescription: deps.catalogDescription });
  const tags = ["opening"];
  const config = { policy: "open.dcat.read" };

  async function send(reply: FastifyReply, g: Graph, format: Format, negotiated: boolean) {
    reply.header("content-type", CONTENT_TYPE[format]);
    if (negotiated) reply.header("vary", "Accept");
    return format === "ttl" ? toTurtle(g) : JSON.stringify(toJsonLd(g));
  }

  app.get("/api/open/dcat/catalog", { config, schema: { tags, summary: "DCAT-AP 3 开放目录（按 Accept 协商 Turtle 或 JSON-LD，可用 format 指定；分页）", querystring: CatalogQuery } }, async (req, reply) => {
    const { format, ...page } = req.query;
    return send(reply, await dcat.catalog(page), format ?? negotiate(req.headers.accept), !format);
  });
  for (const format of ["ttl", "jsonld"] as const) {
    app.get(`/api/open/dcat/catalog.${format}`, { config, schema: { tags, summary: `DCAT-AP 3 开放目录（${format === "ttl" ? "Turtle" : "JSON-LD"}；分页）`, querystring: CatalogFileQuery } }, async (req, reply) =>
      send(reply, await dcat.catalog(req.query), format, false));
  }

  app.get("/api/open/dcat/datasets/:id", { config, schema: { tags, summary: "DCAT-AP 3 开放数据集（:id、:id.ttl 或 :id.jsonld；未开放或不存在为 404）", params: DatasetParams, querystring: DatasetQuery } }, async (req, reply) => {
    const m = /^(.*?)(?:\.(ttl|jsonld))?$/.exec(req.params.id)!;
    const fixed = (m[2] as Format | undefined) ?? req.query.format;
    return send(reply, await dcat.dataset(m[1]), fixed ?? negotiate(req.headers.accept), !fixed);
  });
}
