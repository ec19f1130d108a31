import type { Db, Tx } from "../../core/db.ts";
import { ConflictError, InvalidError, NotFoundError } from "../../core/errors.ts";
import { newId } from "../../core/ids.ts";
import { assertCan, can, type Actor } from "../policy/index.ts";
import { diffContent } from "./diff.ts";
import type { EntryRef } from "./policies.ts";
import { checkContent, needsReason } from "./rules.ts";
import {
  EntryContent,
  type CreateEntryBody,
  type EntryView,
  type FieldChange,
  type ReviewBody,
  type UpdateEntryBody,
  type VersionView,
} from "./schema.ts";
import { catalogDb, catalogStore, searchColumns, type EntryRow, type VersionRow } from "./store.ts";

/** What the catalog needs of the ledger: an append inside the caller's transaction. */
export interface LedgerPort {
  append(tx: Tx, entry: { kind: string; subject: string; actor?: string | null; digest?: string; data?: Record<string, unknown> }): Promise<{ index: number }>;
  digest(value: unknown): string;
}

/** What the catalog needs of identity: organisation names. */
export interface OrgPort {
  getOrg(id: string): Promise<{ id: string; name: string; code: string | null }>;
}

export interface CatalogDeps {
  db: Db;
  ledger: LedgerPort;
  orgs: OrgPort;
}

/** The record of a published version that the ledger digests; verification recomputes it. */
export function publishedRecord(v: { entryId: string; code: string; version: number; providerOrgId: string; content: EntryContent }) {
  return { type: "catalog.entry", entryId: v.entryId, code: v.code, version: v.version, providerOrgId: v.providerOrgId, content: v.content };
}

export const subjectOf = (code: string, version: number) => `${code}@v${version}`;

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const userOf = (a: Actor) => (a.kind === "user" ? a.userId : null);
const refOf = (e: EntryRow): EntryRef => ({ providerOrgId: e.provider_org_id, status: e.status });

export function createCatalogService(deps: CatalogDeps) {
  const { db, ledger, orgs } = deps;
  const store = catalogStore(catalogDb(db));

  async function load(id: string): Promise<EntryRow> {
    const e = await store.entry(id);
    if (!e) throw new NotFoundError({ message: "目录条目不存在", messageEn: "Catalog entry not found", field: "id" });
    return e;
  }

  async function present(e: EntryRow, actor: Actor): Promise<EntryView> {
    const org = await orgs.getOrg(e.provider_org_id);
    const openV = e.open_version != null ? await store.version(e.id, e.open_version) : undefined;
    const pubV = e.published_version != null ? await store.version(e.id, e.published_version) : undefined;
    const seesOpen = openV && can(actor, "catalog.entry.read", { providerOrgId: e.provider_org_id, status: "draft" });
    const shown = (seesOpen ? openV : pubV) ?? openV!;
    return {
      id: e.id,
      code: e.code,
      status: e.status,
      provider: { id: org.id, name: org.name, code: org.code },
      publishedVersion: e.published_version,
      openVersion: seesOpen && openV ? { version: openV.version, status: openV.status, reason: openV.reason, reviewNote: openV.review_note } : null,
      content: shown.content,
      publishedAt: iso(e.published_at),
      createdAt: iso(e.created_at)!,
      updatedAt: iso(e.updated_at)!,
    };
  }

  function presentVersion(v: VersionRow): VersionView {
    return {
      version: v.version, status: v.status, reason: v.reason, reviewNote: v.review_note, createdBy: v.created_by,
      createdAt: iso(v.created_at)!, submittedAt: iso(v.submitted_at), reviewedAt: iso(v.reviewed_at), publishedAt: iso(v.published_at),
      ledgerIndex: v.ledger_index == null ? null : Number(v.ledger_index),
    };
  }

  async function readable(actor: Actor, id: string): Promise<EntryRow> {
    const e = await load(id);
    if (!can(actor, "catalog.entry.read", refOf(e))) throw new NotFoundError({ message: "目录条目不存在", messageEn: "Catalog entry not found", field: "id" });
    return e;
  }

  return {
    async get(actor: Actor, id: string) {
      const e = await readable(actor, id);
      const ref = refOf(e);
      const openV = e.open_version != null ? await store.version(e.id, e.open_version) : undefined;
      const mayEdit = can(actor, "catalog.entry.edit", ref);
      return {
        entry: await present(e, actor),
        canEdit: mayEdit && (!openV || openV.status === "draft" || openV.status === "returned"),
        canSubmit: mayEdit && !!openV && (openV.status === "draft" || openV.status === "returned"),
        canReview: can(actor, "catalog.entry.review") && openV?.status === "submitted",
        canWithdraw: can(actor, "catalog.entry.withdraw", ref) && e.status === "published",
      };
    },

    async create(actor: Actor, body: CreateEntryBody): Promise<EntryView> {
      assertCan(actor, "catalog.entry.create");
      if (actor.kind !== "user") throw new Error("unreachable");
      const content = EntryContent.parse(body.content);
      checkContent(content, { forSubmit: false });
      const org = await orgs.getOrg(actor.orgId);
      const id = newId("ent");
      for (let attempt = 0; ; attempt++) {
        const seq = body.seq ?? (await store.nextSeq(content.classCode));
        const code = `${content.classCode}/${seq}`;
        if (await store.codeExists(code))
          throw new ConflictError({ field: body.seq ? "seq" : "content.classCode", message: `信息资源代码 ${code} 已被使用（代码不可重复使用）`, messageEn: `Resource code ${code} is already taken (codes are never reused)` });
        try {
          await db.transaction().execute(async (tx) => {
            const s = catalogStore(catalogDb(tx));
            await s.insertEntry({ id, code, class_code: content.classCode, seq, provider_org_id: actor.orgId, status: "draft", published_version: null, open_version: 1, published_at: null, ...searchColumns(content, org.name) });
            await s.insertVersion({ entry_id: id, version: 1, status: "draft", content, reason: null, review_note: null, created_by: actor.userId, submitted_at: null, reviewed_by: null, reviewed_at: null, published_at: null, ledger_index: null, withdrawn_ledger_index: null });
          });
          break;
        } catch (err: any) {
          // Two creators raced for the same next sequence number: take the next one.
          if (err?.code === "23505" && !body.seq && attempt < 3) continue;
          if (err?.code === "23505") throw new ConflictError({ field: "seq", message: `信息资源代码 ${code} 已被使用`, messageEn: `Resource code ${code} is already taken` });
          throw err;
        }
      }
      return present((await store.entry(id))!, actor);
    },

    /**
     * Create many entries in ONE transaction (imports): all or nothing. Codes given in the file
     * must be free; missing codes get the next sequence of their class code.
     */
    async createMany(actor: Actor, items: { content: EntryContent; code?: string; rowRef: string }[], opts: { submit: boolean }) {
      assertCan(actor, "catalog.entry.create");
      if (actor.kind !== "user") throw new Error("unreachable");
      const org = await orgs.getOrg(actor.orgId);
      const ids: string[] = [];
      await db.transaction().execute(async (tx) => {
        const s = catalogStore(catalogDb(tx));
        const nextByClass = new Map<string, number>();
        for (const it of items) {
          let code = it.code;
          let seq: string;
          if (code) {
            const [cls, sq] = code.split("/");
            if (cls !== it.content.classCode)
              throw new InvalidError({ field: "code", message: `${it.rowRef}：信息资源代码 ${code} 与分类码 ${it.content.classCode} 不一致`, messageEn: `${it.rowRef}: code ${code} does not match class code ${it.content.classCode}` });
            seq = sq;
          } else {
            let n = nextByClass.get(it.content.classCode);
            if (n === undefined) n = Number.parseInt(await s.nextSeq(it.content.classCode), 10);
            seq = String(n).padStart(6, "0");
            nextByClass.set(it.content.classCode, n + 1);
            code = `${it.content.classCode}/${seq}`;
          }
          if (await s.codeExists(code))
            throw new ConflictError({ field: "code", message: `${it.rowRef}：信息资源代码 ${code} 已被使用`, messageEn: `${it.rowRef}: resource code ${code} is already taken` });
          const id = newId("ent");
          const status = opts.submit ? "submitted" : "draft";
          await s.insertEntry({ id, code, class_code: it.content.classCode, seq, provider_org_id: actor.orgId, status, published_version: null, open_version: 1, published_at: null, ...searchColumns(it.content, org.name) });
          await s.insertVersion({ entry_id: id, version: 1, status, content: it.content, reason: "导入", review_note: null, created_by: actor.userId, submitted_at: opts.submit ? new Date() : null, reviewed_by: null, reviewed_at: null, published_at: null, ledger_index: null, withdrawn_ledger_index: null });
          ids.push(id);
        }
      });
      return ids;
    },

    async update(actor: Actor, id: string, body: UpdateEntryBody): Promise<EntryView> {
      const e = await readable(actor, id);
      assertCan(actor, "catalog.entry.edit", refOf(e));
      const content = EntryContent.parse(body.content);
      checkContent(content, { forSubmit: false });
      if (content.classCode !== e.class_code)
        throw new InvalidError({ field: "content.classCode", message: "分类码是信息资源代码的一部分，发布后不可修改", messageEn: "The class code is part of the resource code and cannot change" });
      const org = await orgs.getOrg(e.provider_org_id);
      await db.transaction().execute(async (tx) => {
        const s = catalogStore(catalogDb(tx));
        const cur = (await s.entry(id, true))!;
        const openV = cur.open_version != null ? await s.version(id, cur.open_version) : undefined;
        if (openV?.status === "submitted")
          throw new ConflictError({ field: "status", message: "条目正在审核中，审核完成前不能修改", messageEn: "The entry is under review and cannot be edited until reviewed" });
        if (openV) {
          await s.updateVersion(id, openV.version, { content, reason: body.reason ?? openV.reason });
        } else {
          const pub = (await s.version(id, cur.published_version!))!;
          if (needsReason(pub.content, content) && !body.reason)
            throw new InvalidError({ field: "reason", message: "修改共享属性、开放属性或信息项须说明原因", messageEn: "Changing share or open attributes or data items needs a reason" });
          const v = (await s.versions(id))[0].version + 1;
          await s.insertVersion({ entry_id: id, version: v, status: "draft", content, reason: body.reason ?? null, review_note: null, created_by: userOf(actor), submitted_at: null, reviewed_by: null, reviewed_at: null, published_at: null, ledger_index: null, withdrawn_ledger_index: null });
          await s.updateEntry(id, { open_version: v });
        }
        // Never-published entries are searchable by their draft (for their own editors).
        if (cur.published_version == null) await s.updateEntry(id, { ...searchColumns(content, org.name), status: "draft" });
      });
      return present((await store.entry(id))!, actor);
    },

    async submit(actor: Actor, id: string): Promise<EntryView> {
      const e = await readable(actor, id);
      assertCan(actor, "catalog.entry.edit", refOf(e));
      await db.transaction().execute(async (tx) => {
        const s = catalogStore(catalogDb(tx));
        const cur = (await s.entry(id, true))!;
        const openV = cur.open_version != null ? await s.version(id, cur.open_version) : undefined;
        if (!openV || (openV.status !== "draft" && openV.status !== "returned"))
          throw new ConflictError({ field: "status", message: "没有可提交的草稿", messageEn: "There is no draft to submit" });
        checkContent(EntryContent.parse(openV.content), { forSubmit: true });
        await s.updateVersion(id, openV.version, { status: "submitted", submitted_at: new Date(), review_note: null });
        if (cur.published_version == null) await s.updateEntry(id, { status: "submitted" });
        else await s.updateEntry(id, {});
      });
      return present((await store.entry(id))!, actor);
    },

    async review(actor: Actor, id: string, body: ReviewBody): Promise<EntryView> {
      assertCan(actor, "catalog.entry.review");
      const e = await load(id);
      if (body.decision === "return" && !body.reason)
        throw new InvalidError({ field: "reason", message: "退回时必须说明原因", messageEn: "A reason is required when returning an entry" });
      const org = await orgs.getOrg(e.provider_org_id);
      await db.transaction().execute(async (tx) => {
        const s = catalogStore(catalogDb(tx));
        const cur = (await s.entry(id, true))!;
        const openV = cur.open_version != null ? await s.version(id, cur.open_version) : undefined;
        if (!openV || openV.status !== "submitted")
          throw new ConflictError({ field: "status", message: "该条目没有待审核的版本", messageEn: "The entry has no version awaiting review" });
        const now = new Date();
        if (body.decision === "return") {
          await s.updateVersion(id, openV.version, { status: "returned", review_note: body.reason!, reviewed_by: userOf(actor), reviewed_at: now });
          if (cur.published_version == null) await s.updateEntry(id, { status: "returned" });
          else await s.updateEntry(id, {});
          return;
        }
        const content = EntryContent.parse(openV.content);
        checkContent(content, { forSubmit: true });
        const record = publishedRecord({ entryId: id, code: cur.code, version: openV.version, providerOrgId: cur.provider_org_id, content });
        const { index } = await ledger.append(tx, {
          kind: "catalog.entry.published",
          subject: subjectOf(cur.code, openV.version),
          actor: userOf(actor),
          digest: ledger.digest(record),
          data: { entryId: id, version: openV.version, name: content.name },
        });
        if (cur.published_version != null) await s.updateVersion(id, cur.published_version, { status: "superseded" });
        await s.updateVersion(id, openV.version, { status: "published", reviewed_by: userOf(actor), reviewed_at: now, published_at: now, ledger_index: index, review_note: body.reason ?? null });
        await s.updateEntry(id, { status: "published", published_version: openV.version, open_version: null, published_at: now, ...searchColumns(content, org.name) });
      });
      return present((await store.entry(id))!, actor);
    },

    async withdraw(actor: Actor, id: string, reason: string): Promise<EntryView> {
      const e = await readable(actor, id);
      assertCan(actor, "catalog.entry.withdraw", refOf(e));
      await db.transaction().execute(async (tx) => {
        const s = catalogStore(catalogDb(tx));
        const cur = (await s.entry(id, true))!;
        if (cur.status !== "published" || cur.published_version == null)
          throw new ConflictError({ field: "status", message: "只有已发布的条目可以撤销", messageEn: "Only published entries can be withdrawn" });
        const { index } = await ledger.append(tx, {
          kind: "catalog.entry.withdrawn",
          subject: subjectOf(cur.code, cur.published_version),
          actor: userOf(actor),
          data: { entryId: id, version: cur.published_version, reason },
        });
        await s.updateVersion(id, cur.published_version, { status: "withdrawn", withdrawn_ledger_index: index, review_note: reason });
        await s.updateEntry(id, { status: "withdrawn" });
      });
      return present((await store.entry(id))!, actor);
    },

    async versions(actor: Actor, id: string): Promise<VersionView[]> {
      const e = await readable(actor, id);
      const mayDraft = can(actor, "catalog.entry.read", { providerOrgId: e.provider_org_id, status: "draft" });
      return (await store.versions(id)).filter((v) => mayDraft || ["published", "superseded", "withdrawn"].includes(v.status)).map(presentVersion);
    },

    async version(actor: Actor, id: string, version: number) {
      const e = await readable(actor, id);
      const v = await store.version(id, version);
      const mayDraft = can(actor, "catalog.entry.read", { providerOrgId: e.provider_org_id, status: "draft" });
      if (!v || (!mayDraft && !["published", "superseded", "withdrawn"].includes(v.status)))
        throw new NotFoundError({ message: "版本不存在", messageEn: "Version not found", field: "version" });
      return { version: presentVersion(v), content: v.content };
    },

    async diff(actor: Actor, id: string, from: number, to: number): Promise<FieldChange[]> {
      const a = await this.version(actor, id, from);
      const b = await this.version(actor, id, to);
      return diffContent(EntryContent.parse(a.content), EntryContent.parse(b.content));
    },

    /**
     * The content each given entry shows this actor (as `get` would), in two queries: exports page
     * through search results and must not load entries one by one. Entries the actor may not read are left out.
     */
    async visibleContents(actor: Actor, ids: string[]): Promise<Map<string, EntryContent>> {
      const rows = (await store.entries(ids)).filter((e) => can(actor, "catalog.entry.read", refOf(e)));
      const pick = (e: EntryRow) =>
        e.open_version != null && (e.published_version == null || can(actor, "catalog.entry.read", { providerOrgId: e.provider_org_id, status: "draft" }))
          ? e.open_version
          : e.published_version!;
      const wanted = rows.map((e) => ({ entryId: e.id, version: pick(e) }));
      const versions = await store.versionsOf(wanted);
      const byKey = new Map(versions.map((v) => [`${v.entry_id}@${v.version}`, v.content]));
      return new Map(wanted.flatMap((w) => (byKey.has(`${w.entryId}@${w.version}`) ? [[w.entryId, byKey.get(`${w.entryId}@${w.version}`)!] as const] : [])));
    },

    /** Every ledgered version with its record, for verification bundles. */
    async ledgeredRecords() {
      return (await store.ledgeredVersions()).map((v) => ({
        subject: subjectOf(v.code, v.version),
        leafIndex: Number(v.ledger_index),
        content: publishedRecord({ entryId: v.entry_id, code: v.code, version: v.version, providerOrgId: v.provider_org_id, content: v.content }),
      }));
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
