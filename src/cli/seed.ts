import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Platform } from "../app.ts";
import { DEMO_AUTHORITATIVE_SOURCES, DEMO_DATASETS, generateDemoDatasets, type DemoDatasetKey } from "../demo/datasets/index.ts";
import { generateDemoCity, type DemoCity } from "../demo/generator.ts";
import { EntryContent } from "../modules/catalog/index.ts";
import type { Actor, Role } from "../modules/policy/index.ts";
import { progressBar } from "./progress.ts";
import { shanghaiDay } from "../core/workdays.ts";

/** The password of every demo user. Demo mode only: outside it there is no default password. */
export const DEMO_PASSWORD = "Gongshu@2026";

const actorOf = (u: { id: string; username: string; displayName: string; org: { id: string }; roles: Role[] }): Actor => ({
  kind: "user", userId: u.id, username: u.username, displayName: u.displayName, orgId: u.org.id, roles: u.roles, via: "session",
});

/** Load the demo city (organisations, users, catalog) into an empty platform. */
export interface SeedOptions {
  entries?: number;
  seed?: number;
  progress?: boolean;
  /** Load the demo datasets (人口库, 法人库, thematic) into the lake; default true. */
  datasets?: boolean;
  /** Rows of the population base (人口库); default 1,000,000 (env GONGSHU_DEMO_POPULATION). */
  population?: number;
}

export interface SeedResult { orgs: number; users: number; entries: number; published: number; datasets: { name: string; rows: number; badRows: number }[] }

export async function seedDemo(p: Platform, opts: SeedOptions = {}): Promise<SeedResult> {
  const { identity, catalog } = p.services;
  const city: DemoCity = generateDemoCity({ seed: opts.seed, entries: opts.entries });
  const orgIdByKey = new Map<string, string>();
  for (const o of city.orgs) {
    const org = await identity.createOrg({
      id: `org_${o.key}`, name: o.name, shortName: o.shortName, code: o.code, kind: o.kind,
      parentId: o.parentKey ? orgIdByKey.get(o.parentKey) : undefined,
    });
    orgIdByKey.set(o.key, org.id);
  }
  const actors = new Map<string, Actor>();
  let admin: Actor | undefined;
  for (const u of city.users) {
    const user = await identity.createUser({ username: u.username, displayName: u.displayName, orgId: orgIdByKey.get(u.orgKey)!, roles: u.roles, password: DEMO_PASSWORD });
    const a = actorOf(user);
    if (u.roles.includes("data_officer") && !actors.has(u.orgKey)) actors.set(u.orgKey, a);
    if (u.roles.includes("platform_admin") && !admin) admin = a;
  }
  if (!admin) throw new Error("demo city has no platform admin");
  const bar = opts.progress === false ? null : progressBar("载入示范目录 seeding catalog", city.entries.length);
  let done = 0, published = 0;
  // Per department: create its entries in one transaction, then approve those meant to be published.
  const byOrg = new Map<string, typeof city.entries>();
  for (const e of city.entries) (byOrg.get(e.orgKey) ?? byOrg.set(e.orgKey, []).get(e.orgKey)!).push(e);
  for (const [orgKey, entries] of byOrg) {
    const officer = actors.get(orgKey);
    if (!officer) throw new Error(`no data officer for ${orgKey}`);
    const toSubmit = entries.filter((e) => e.state !== "draft");
    const drafts = entries.filter((e) => e.state === "draft");
    const items = (xs: typeof entries) =>
      xs.map((e, i) => {
        const content = EntryContent.parse(e.content);
        return { content, code: `${content.classCode}/${e.seq}`, rowRef: `${orgKey}#${i}` };
      });
    const ids = await catalog.createMany(officer, items(toSubmit), { submit: true });
    await catalog.createMany(officer, items(drafts), { submit: false });
    for (let i = 0; i < ids.length; i++) {
      if (toSubmit[i].state === "published") {
        await catalog.review(admin, ids[i], { decision: "approve" });
        published++;
      }
      bar?.update(++done);
    }
    done += drafts.length;
    bar?.update(done);
  }
  bar?.stop();
  const datasets = opts.datasets === false ? [] : await seedDatasets(p, { admin, actors, seed: opts.seed, population: opts.population, progress: opts.progress !== false });
  return { orgs: city.orgs.length, users: city.users.length, entries: city.entries.length, published: published + datasets.length, datasets };
}

/**
 * The demo datasets: their catalog entries (published), generated files loaded through the ingest
 * service as the provider's data officer (good rows only: the deliberate dirt that validation catches
 * is reported, the rest is left for the quality scores), the 一数一源 register and one 多源校核 run.
 */
async function seedDatasets(
  p: Platform,
  o: { admin: Actor; actors: Map<string, Actor>; seed?: number; population?: number; progress: boolean },
): Promise<SeedResult["datasets"]> {
  const { catalog, ingest, quality } = p.services;
  const population = o.population ?? (Number(process.env.GONGSHU_DEMO_POPULATION) || 1_000_000);
  const entryIds = new Map<DemoDatasetKey, string>();
  for (const def of DEMO_DATASETS) {
    const officer = o.actors.get(def.orgKey);
    if (!officer) throw new Error(`no data officer for ${def.orgKey}`);
    const [id] = await catalog.createMany(officer, [{ content: def.content, code: def.code, rowRef: def.key }], { submit: true });
    await catalog.review(o.admin, id, { decision: "approve" });
    entryIds.set(def.key, id);
  }
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongshu-demo-data-"));
  try {
    const log = (s: string) => { if (o.progress) process.stderr.write(`${s}\n`); };
    log(`生成示范数据集 generating demo datasets (人口库 ${population.toLocaleString("en")} rows)…`);
    const files = await generateDemoDatasets({ outDir, seed: o.seed, population });
    const out: SeedResult["datasets"] = [];
    const bar = o.progress ? progressBar("装载示范数据集 loading demo datasets", DEMO_DATASETS.length) : null;
    for (const [i, def] of DEMO_DATASETS.entries()) {
      const f = files[def.key];
      const r = await ingest.loadFile(o.actors.get(def.orgKey)!, {
        entryId: entryIds.get(def.key)!, path: f.path, filename: path.basename(f.path), mode: "skipBadRows", wait: true,
      });
      if (r.job.status !== "succeeded") throw new Error(`demo dataset ${def.key} did not load: ${r.job.error?.message ?? r.job.status}`);
      const snap = await ingest.current(r.datasetId);
      out.push({ name: def.content.name, rows: snap?.rowCount ?? 0, badRows: f.rows - (snap?.rowCount ?? 0) });
      bar?.update(i + 1);
    }
    bar?.stop();
    // 一数一源: the authoritative dataset per shared item, the copies, then one cross-check each.
    for (const s of DEMO_AUTHORITATIVE_SOURCES) {
      const ds = async (k: DemoDatasetKey) => (await ingest.datasetForEntry(entryIds.get(k)!))!.id;
      const src = await quality.sources.register(o.admin, { concept: s.item, datasetId: await ds(s.authoritative), column: s.item, keyColumn: s.key });
      for (const other of s.others) await quality.sources.addCopy(o.admin, src.id, { datasetId: await ds(other), column: s.item, keyColumn: s.key });
      await quality.sources.crosscheck(o.admin, src.id);
    }
    await seedSharing(p, { admin: o.admin, actors: o.actors, entryIds });
    return out;
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

/**
 * 共享 in the demo city: a 民政局 demand matched to 人社局's 参保人员信息 and an approved application for
 * it (a grant 民政局 can query), an application granted at once for an unconditionally shared
 * dataset, and one waiting in 人社局's review queue.
 */
async function seedSharing(p: Platform, o: { admin: Actor; actors: Map<string, Actor>; entryIds: Map<DemoDatasetKey, string> }): Promise<void> {
  const { sharing } = p.services;
  const mz = o.actors.get("mzj");
  const rs = o.actors.get("rsj");
  const gongan = o.actors.get("gaj");
  const si = o.entryIds.get("social_insurance");
  const bus = o.entryIds.get("bus_ridership");
  if (!mz || !rs || !gongan || !si || !bus) return;
  const itemsOf = (key: DemoDatasetKey) => DEMO_DATASETS.find((d) => d.key === key)!.content.items.map((i) => i.name);
  const day = (n: number) => shanghaiDay(Date.now() + n * 86_400_000);
  const demand = await sharing.createDemand(mz, { title: "低保对象参保情况", description: "核查最低生活保障申请人及家庭成员的社会保险参保与缴费情况。", duty: "《社会救助暂行办法》第十一条：对申请人家庭收入、财产状况进行调查核实" });
  await sharing.matchDemand(o.admin, demand.id, { entryId: si, note: "由市人社局提供" });
  const siItems = itemsOf("social_insurance").slice(0, 5);
  const app = await sharing.apply(mz, {
    entryId: si, items: siItems, purpose: "最低生活保障资格审核：核查申请人参保与缴费情况", legalBasis: "《社会救助暂行办法》第十一条",
    matter: "社会救助一件事", periodFrom: day(0), periodTo: day(365), expectedVolume: 50_000, rowFilter: [], ratePerMinute: 60, demandId: demand.id,
  });
  await sharing.decide(rs, app.id, { decision: "approve", conditions: "仅用于低保资格审核，不得向第三方提供" });
  await sharing.apply(gongan, {
    entryId: bus, items: itemsOf("bus_ridership").slice(0, 4), purpose: "重大活动期间公共交通客流研判", legalBasis: "《人民警察法》第六条",
    periodFrom: day(0), periodTo: day(90), expectedVolume: 10_000, rowFilter: [], ratePerMinute: 60,
  });
  await sharing.apply(gongan, {
    entryId: si, items: siItems.slice(0, 3), purpose: "核查涉案人员参保情况", legalBasis: "《刑事诉讼法》第五十四条",
    periodFrom: day(0), periodTo: day(30), expectedVolume: 1_000, rowFilter: [], ratePerMinute: 30,
  });
}
