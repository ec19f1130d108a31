import type { Db } from "../../core/db.ts";
import { ConflictError, InvalidError, NotFoundError, UnauthenticatedError } from "../../core/errors.ts";
import { newId } from "../../core/ids.ts";
import { assertCan, can, hasRole, type Actor } from "../policy/index.ts";
import { datasetParam, type FeedbackLedgerPort, type NotifyPort } from "./feedback.ts";
import type { Paged, ShowcaseBody, ShowcaseQuery, ShowcaseReviewBody, ShowcaseView } from "./feedback-schema.ts";
import { feedbackStore, parsed, type ShowcaseRow } from "./feedback-store.ts";
import type { ShowcaseRef } from "./policies.ts";
import { openingDb } from "./store.ts";

/**
 * 利用成果: applications built on open data, submitted by registered users, approved by the data
 * administration before they are public; filterable by the open dataset they use, and listed on
 * that dataset's page. Submission and review are ledger entries with notifications.
 */

export interface ShowcaseDeps {
  db: Db;
  ledger: FeedbackLedgerPort;
  notify?: NotifyPort;
  /** An open dataset by entry id, CKAN name or dataset id (NotFound otherwise). */
  resolve(idOrName: string): Promise<{ id: string; code: string; name: string; content: { name: string } }>;
  /** The open entry now, or null when it is no longer open. */
  openEntry(entryId: string): Promise<{ id: string; name: string; content: { name: string } } | null>;
  orgName(id: string): Promise<string | null>;
  /** The organisation of individual public users (its name is not shown as the builder). */
  publicOrgId: string;
  clock: { now(): Date };
}

interface StoredDataset {
  id: string;
  code: string;
  name: string;
  title: string;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const refOf = (r: ShowcaseRow): ShowcaseRef => ({ status: r.status, submitterUserId: r.submitter_user_id });
const notFound = () => new NotFoundError({ field: "id", message: "应用成果不存在", messageEn: "Showcase application not found" });
const link = (id: string) => `/open/showcase/${id}`;

export function createShowcase(deps: ShowcaseDeps) {
  const { db, ledger } = deps;
  const store = feedbackStore(openingDb(db));
  const now = () => deps.clock.now();

  async function present(r: ShowcaseRow, actor: Actor): Promise<ShowcaseView> {
    const stored = parsed<StoredDataset[]>(r.datasets);
    const datasets = await Promise.all(stored.map(async (d) => {
      const e = await deps.openEntry(d.id);
      return { id: d.id, name: e?.name ?? null, title: e?.content.name ?? d.title, open: !!e };
    }));
    const view: ShowcaseView = {
      id: r.id, name: r.name, description: r.description, url: r.url, organisation: r.organisation, datasets,
      approvedAt: r.status === "approved" ? iso(r.reviewed_at) : null, createdAt: iso(r.created_at)!,
    };
    if (actor.kind === "user" && (actor.userId === r.submitter_user_id || hasRole(actor, "platform_admin", "regulator")))
      view.review = { status: r.status, reason: r.reason, reviewedAt: iso(r.reviewed_at), submitter: { userId: r.submitter_user_id, name: r.submitter_name } };
    return view;
  }

  async function page(actor: Actor, rows: ShowcaseRow[], total: number, q: { page: number; pageSize: number }): Promise<Paged<ShowcaseView>> {
    return { total, page: q.page, pageSize: q.pageSize, items: await Promise.all(rows.map((r) => present(r, actor))) };
  }

  const service = {
    async submit(actor: Actor, body: ShowcaseBody): Promise<ShowcaseView> {
      assertCan(actor, "open.showcase.create");
      if (actor.kind !== "user") throw new UnauthenticatedError();
      const datasets: StoredDataset[] = [];
      for (const [i, ref] of body.datasets.entries()) {
        const e = await deps.resolve(ref).catch((err) => {
          if (err instanceof NotFoundError) throw new InvalidError({ field: `datasets.${i}`, message: `开放数据集「${ref}」不存在`, messageEn: `No open dataset '${ref}'` });
          throw err;
        });
        if (!datasets.some((d) => d.id === e.id)) datasets.push({ id: e.id, code: e.code, name: e.name, title: e.content.name });
      }
      const organisation = body.organisation ?? (actor.orgId === deps.publicOrgId ? null : await deps.orgName(actor.orgId));
      const at = now();
      const row: ShowcaseRow = {
        id: newId("osc"), name: body.name, description: body.description, url: body.url, organisation, datasets, entry_ids: datasets.map((d) => d.id),
        submitter_user_id: actor.userId, submitter_org_id: actor.orgId, submitter_name: actor.displayName, status: "submitted", reason: null, reviewed_by: null, reviewed_at: null,
        created_at: at, updated_at: at, ledger_index: null,
      };
      await db.transaction().execute(async (tx) => {
        const { index } = await ledger.append(tx, {
          kind: "open.showcase.submitted", subject: row.id, actor: actor.userId, digest: ledger.digest({ name: row.name, description: row.description, url: row.url, organisation }),
          data: { id: row.id, entryIds: row.entry_ids, url: row.url },
        });
        await feedbackStore(openingDb(tx)).insertShowcase({ ...row, ledger_index: index });
        await deps.notify?.notify(tx, { role: "platform_admin", kind: "open.showcase", title: `待审核的利用成果：${row.name}`, body: `使用开放数据：${datasets.map((d) => d.title).join("、")}`, link: link(row.id) });
      });
      return present(row, actor);
    },

    /** Approve (it becomes public) or reject (with a reason); a rejected one may be approved on a second look. */
    async review(actor: Actor, id: string, body: ShowcaseReviewBody): Promise<ShowcaseView> {
      assertCan(actor, "open.showcase.review");
      if (actor.kind !== "user") throw new UnauthenticatedError();
      const r = await store.showcase(id);
      if (!r) throw notFound();
      const to = body.decision === "approve" ? "approved" : "rejected";
      if (r.status === to || r.status === "approved")
        throw new ConflictError({ field: "id", message: r.status === "approved" ? "该成果已通过审核" : "该成果已退回", messageEn: `It is already ${r.status}` });
      const at = now();
      await db.transaction().execute(async (tx) => {
        const ok = await feedbackStore(openingDb(tx)).updateShowcase(id, [r.status], { status: to, reason: body.reason ?? null, reviewed_by: actor.userId, reviewed_at: at, updated_at: at });
        if (!ok) throw new ConflictError({ field: "id", message: "该成果刚被处理过", messageEn: "It was just reviewed" });
        await ledger.append(tx, {
          kind: `open.showcase.${to}`, subject: id, actor: actor.userId,
          data: { id, entryIds: r.entry_ids, ...(body.reason ? { reason: body.reason } : {}) },
        });
        await deps.notify?.notify(tx, {
          userId: r.submitter_user_id, kind: "open.showcase", title: to === "approved" ? `你的利用成果已公开：${r.name}` : `你的利用成果未通过审核：${r.name}`,
          body: body.reason ?? (to === "approved" ? "已在开放门户展示。" : ""), link: link(id),
        });
      });
      return present((await store.showcase(id))!, actor);
    },

    async get(actor: Actor, id: string): Promise<ShowcaseView> {
      const r = await store.showcase(id);
      if (!r || !can(actor, "open.showcase.read", refOf(r))) throw notFound();
      return present(r, actor);
    },

    async list(actor: Actor, q: ShowcaseQuery): Promise<Paged<ShowcaseView>> {
      const entryId = q.dataset ? (await datasetParam(deps.resolve, q.dataset)).id : undefined;
      if (q.view === "mine") {
        if (actor.kind !== "user") throw new UnauthenticatedError();
        const { rows, total } = await store.showcases({ submitterUserId: actor.userId, entryId, q: q.q }, q);
        return page(actor, rows, total, q);
      }
      if (q.view === "review") assertCan(actor, "open.showcase.review");
      const { rows, total } = await store.showcases({ status: q.view === "review" ? "submitted" : "approved", entryId, q: q.q }, q);
      return page(actor, rows, total, q);
    },

    /** The approved applications that use one open dataset (its public page). */
    async forEntry(actor: Actor, entryId: string, q: { page: number; pageSize: number }): Promise<Paged<ShowcaseView>> {
      const { rows, total } = await store.showcases({ status: "approved", entryId }, q);
      return page(actor, rows, total, q);
    },
  };
  return service;
}
export type Showcase = ReturnType<typeof createShowcase>;
