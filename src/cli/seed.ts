import type { Platform } from "../app.ts";
import { generateDemoCity, type DemoCity } from "../demo/generator.ts";
import { EntryContent } from "../modules/catalog/index.ts";
import type { Actor, Role } from "../modules/policy/index.ts";
import { progressBar } from "./progress.ts";

/** The password of every demo user. Demo mode only: outside it there is no default password. */
export const DEMO_PASSWORD = "Gongshu@2026";

const actorOf = (u: { id: string; username: string; displayName: string; org: { id: string }; roles: Role[] }): Actor => ({
  kind: "user", userId: u.id, username: u.username, displayName: u.displayName, orgId: u.org.id, roles: u.roles, via: "session",
});

/** Load the demo city (organisations, users, catalog) into an empty platform. */
export async function seedDemo(p: Platform, opts: { entries?: number; seed?: number; progress?: boolean } = {}): Promise<{ orgs: number; users: number; entries: number; published: number }> {
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
  return { orgs: city.orgs.length, users: city.users.length, entries: city.entries.length, published };
}
