import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { call, TEST_ENGINE } from "../../../test/helpers.ts";
import { ledgerLeaf, openFixture, registeredKey, type OpenFixture } from "../../../test/opening-fixtures.ts";

/**
 * The CKAN Action API v3 as CKAN clients and harvesters call it (ckanapi's RemoteCKAN: GET with
 * query parameters or POST with a JSON body; ckanext-harvest: package_search paged with rows/start
 * until exhausted, then package_show of each), checked field by field against CKAN's documented
 * shapes (docs.ckan.org, API guide: "Making an API request" and the action reference).
 */

const isoNoZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/;

function assertEnvelope(body: any, action: string) {
  assert.deepEqual(Object.keys(body).sort(), ["help", "result", "success"]);
  assert.equal(body.success, true);
  assert.match(body.help, new RegExp(`/api/3/action/help_show\\?name=${action}$`));
}
function assertError(body: any, type: string) {
  assert.equal(body.success, false);
  assert.equal(typeof body.help, "string");
  assert.equal(body.error.__type, type);
  assert.equal(typeof body.error.message, "string");
}
function assertPackage(p: any) {
  for (const k of ["id", "name", "title", "notes", "type", "state", "private", "owner_org", "organization", "metadata_created", "metadata_modified", "tags", "groups", "resources", "num_resources", "num_tags", "extras", "license_id", "isopen"])
    assert.ok(k in p, `package has ${k}`);
  assert.equal(p.type, "dataset");
  assert.equal(p.state, "active");
  assert.equal(p.private, false);
  assert.match(p.name, /^[a-z0-9_-]{2,100}$/, "CKAN names are URL-safe");
  assert.match(p.metadata_modified, isoNoZone);
  assert.equal(p.organization.is_organization, true);
  assert.equal(p.organization.name, p.owner_org);
  assert.equal(p.num_resources, p.resources.length);
  assert.equal(p.num_tags, p.tags.length);
  for (const t of p.tags) assert.deepEqual(Object.keys(t).sort(), ["display_name", "id", "name", "state", "vocabulary_id"]);
  for (const g of p.groups) for (const k of ["id", "name", "title", "display_name"]) assert.ok(k in g);
  for (const r of p.resources) {
    for (const k of ["id", "package_id", "name", "format", "url", "state", "position", "datastore_active", "created", "last_modified", "mimetype"]) assert.ok(k in r, `resource has ${k}`);
    assert.equal(r.package_id, p.id);
  }
  for (const e of p.extras) assert.deepEqual(Object.keys(e).sort(), ["key", "value"]);
}

describe(`CKAN Action API v3 (${TEST_ENGINE})`, () => {
  let f: OpenFixture;
  before(async () => {
    f = await openFixture();
  });
  after(() => f?.t.close());
  const api = (action: string, params: Record<string, string | number> = {}, headers: Record<string, string> = {}) =>
    call(f.t.app, { url: `/api/3/action/${action}?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`, headers });
  const post = (action: string, body: unknown, headers: Record<string, string> = {}) => call(f.t.app, { method: "POST", url: `/api/3/action/${action}`, body, headers });

  test("a harvester pages package_search with rows/start until exhausted, then package_show of each", async () => {
    const seen: string[] = [];
    let count = -1;
    for (let start = 0; ; start += 1) {
      const r = await api("package_search", { rows: 1, start, sort: "metadata_modified desc" });
      assert.equal(r.statusCode, 200, r.body);
      assertEnvelope(r.json(), "package_search");
      const res = r.json().result;
      assert.deepEqual(Object.keys(res).sort(), ["count", "facets", "results", "search_facets", "sort"]);
      count = res.count;
      if (!res.results.length) break;
      for (const p of res.results) {
        assertPackage(p);
        seen.push(p.name);
      }
    }
    assert.equal(count, 2);
    assert.equal(seen.length, 2);
    assert.ok(!seen.includes(f.codes.closed.replace("/", "-")), "不予开放 is never listed");
    for (const name of seen) {
      const r = await api("package_show", { id: name });
      assertEnvelope(r.json(), "package_show");
      assertPackage(r.json().result);
      assert.equal(r.json().result.name, name);
    }
    const list = await api("package_list");
    assertEnvelope(list.json(), "package_list");
    assert.deepEqual(list.json().result, [...seen].sort());
    // package_show by id (POST JSON, as ckanapi does), its resources, resource_show of each.
    const show = await post("package_show", { id: f.entries.free });
    const pkg = show.json().result;
    assert.equal(pkg.title, "参保人员名录");
    assert.equal(pkg.isopen, true);
    assert.deepEqual(pkg.resources.map((r: any) => r.format), ["CSV", "XLSX", "JSON", "Parquet"]);
    assert.equal(pkg.resources[0].id, f.datasets.free, "the DataStore resource id is the dataset id");
    assert.equal(pkg.resources[0].datastore_active, true);
    assert.deepEqual(pkg.groups.map((g: any) => g.name), ["社会保障"]);
    assert.ok(pkg.tags.some((t: any) => t.name === "社保"));
    assert.deepEqual(pkg.extras.find((e: any) => e.key === "resource_code").value, f.codes.free);
    for (const r of pkg.resources) {
      const rs = await api("resource_show", { id: r.id });
      assertEnvelope(rs.json(), "resource_show");
      assert.deepEqual(rs.json().result, r);
    }
  });

  test("package_search: q, fq (organization, tags, groups, res_format, metadata_modified range), facet.field → search_facets", async () => {
    const r = await api("package_search", { q: "缴费", "facet.field": JSON.stringify(["organization", "tags", "groups", "res_format"]), rows: 10 });
    assert.equal(r.statusCode, 200, r.body);
    const res = r.json().result;
    assert.equal(res.count, 1);
    assert.equal(res.results[0].id, f.entries.cond);
    assert.deepEqual(res.facets.organization, { [f.providerOrgId]: 1 });
    assert.deepEqual(res.search_facets.organization, { title: "organization", items: [{ name: f.providerOrgId, display_name: "开放市人社局", count: 1 }] });
    assert.equal(res.search_facets.res_format.items.find((i: any) => i.name === "CSV").count, 1);
    const byOrg = await api("package_search", { fq: `organization:${f.providerOrgId} tags:"社保"` });
    assert.equal(byOrg.json().result.count, 2);
    const byGroup = await api("package_search", { fq: "groups:人口" });
    assert.equal(byGroup.json().result.count, 0, "the only 人口 entry is 不予开放");
    const since = await api("package_search", { fq: "metadata_modified:[2000-01-01T00:00:00Z TO *]", "facet.field": '["license_id"]' });
    assert.equal(since.json().result.count, 2);
    assert.deepEqual(since.json().result.facets.license_id, { "other-closed": 1, "other-open": 1 });
    const future = await api("package_search", { fq: "metadata_modified:[2999-01-01T00:00:00Z TO *]" });
    assert.equal(future.json().result.count, 0);
    // Errors in CKAN's shape: 409 Validation Error naming the parameter.
    const big = await api("package_search", { rows: 100000 });
    assert.equal(big.statusCode, 409);
    assertError(big.json(), "Validation Error");
    assert.ok(Array.isArray(big.json().error.rows));
    const badSort = await api("package_search", { sort: "drop table desc" });
    assert.equal(badSort.statusCode, 409);
    assert.ok(badSort.json().error.sort);
    const badFacet = await api("package_search", { "facet.field": '["secret"]' });
    assert.equal(badFacet.statusCode, 409);
  });

  test("organization_list, organization_show, group_list, tag_list; unknown ids and actions in CKAN's error shape", async () => {
    const orgs = await api("organization_list");
    assertEnvelope(orgs.json(), "organization_list");
    assert.deepEqual(orgs.json().result, [f.providerOrgId]);
    const full = (await api("organization_list", { all_fields: "true" })).json().result;
    assert.equal(full[0].title, "开放市人社局");
    assert.equal(full[0].package_count, 2);
    assert.equal(full[0].is_organization, true);
    const show = await api("organization_show", { id: f.providerOrgId, include_datasets: "true" });
    assertEnvelope(show.json(), "organization_show");
    assert.equal(show.json().result.packages.length, 2);
    const groups = await api("group_list", { all_fields: "true" });
    assert.deepEqual(groups.json().result.map((g: any) => [g.name, g.package_count]), [["社会保障", 2]]);
    const tags = await api("tag_list");
    assert.ok(tags.json().result.includes("社保"));
    assert.ok(!tags.json().result.includes("参保人员身份"[0] + "保人"), "tags of 不予开放 entries are not listed");
    const missing = await api("package_show", { id: "no-such-package" });
    assert.equal(missing.statusCode, 404);
    assertError(missing.json(), "Not Found Error");
    const closed = await api("package_show", { id: f.entries.closed });
    assert.equal(closed.statusCode, 404);
    const noId = await api("package_show");
    assert.equal(noId.statusCode, 409);
    assert.deepEqual(noId.json().error.id, ["Missing value"]);
    const unknown = await api("package_create");
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.json().error.message, /Action name not known/);
  });

  test("datastore_search: filters, q, fields, sort, limit/offset, _links; masked; in the ledger; keys in Authorization or X-CKAN-API-KEY", async () => {
    const size0 = await f.t.platform.services.ledger.size();
    const r = await api("datastore_search", { resource_id: f.datasets.free, limit: 5 });
    assert.equal(r.statusCode, 200, r.body);
    assertEnvelope(r.json(), "datastore_search");
    const res = r.json().result;
    for (const k of ["fields", "records", "total", "limit", "_links", "resource_id", "records_format", "include_total"]) assert.ok(k in res, `result has ${k}`);
    assert.equal(res.total, 30);
    assert.equal(res.records.length, 5);
    assert.equal(res.limit, 5);
    assert.deepEqual(res._links, { start: `/api/3/action/datastore_search?resource_id=${f.datasets.free}&limit=5`, next: `/api/3/action/datastore_search?resource_id=${f.datasets.free}&offset=5&limit=5` });
    assert.deepEqual(res.fields.map((x: any) => [x.id, x.type]).slice(0, 6), [["公民身份号码", "text"], ["姓名", "text"], ["性别", "text"], ["出生日期", "date"], ["参保金额", "numeric"], ["家庭人数", "int"]]);
    assert.ok(res.records.every((x: any) => /\*/.test(x["公民身份号码"])), "masked");
    // Paging with _links.next until exhausted.
    let next = `/api/3/action/datastore_search?resource_id=${f.datasets.free}&limit=7`;
    let total = 0;
    for (let i = 0; i < 10; i++) {
      const page = (await call(f.t.app, { url: next })).json().result;
      total += page.records.length;
      if (!page.records.length) break;
      next = page._links.next;
    }
    assert.equal(total, 30);
    // Filters (JSON object, as CKAN), fields, sort; POST body form too.
    const women = await post("datastore_search", { resource_id: f.datasets.free, filters: { 性别: "女" }, fields: ["性别", "家庭人数"], sort: "家庭人数 desc", limit: 100 });
    assert.equal(women.statusCode, 200, women.body);
    const wr = women.json().result;
    assert.ok(wr.records.length > 0 && wr.records.every((x: any) => x["性别"] === "女" && Object.keys(x).length === 2));
    const sizes = wr.records.map((x: any) => x["家庭人数"]).filter((x: any) => x != null);
    assert.deepEqual(sizes, [...sizes].sort((a: number, b: number) => b - a));
    const inj = await api("datastore_search", { resource_id: f.datasets.free, filters: JSON.stringify({ 性别: "女'; DROP TABLE x; --" }) });
    assert.equal(inj.statusCode, 200);
    assert.equal(inj.json().result.total, 0);
    const badCol = await api("datastore_search", { resource_id: f.datasets.free, filters: JSON.stringify({ nope: 1 }) });
    assert.equal(badCol.statusCode, 409);
    assertError(badCol.json(), "Validation Error");
    const huge = await api("datastore_search", { resource_id: f.datasets.free, limit: 32000 });
    assert.equal(huge.statusCode, 409);
    assert.ok(huge.json().error.limit);
    const missing = await api("datastore_search", { resource_id: "ds_nosuch" });
    assert.equal(missing.statusCode, 404);
    assertError(missing.json(), "Not Found Error");
    // Every read above is in the ledger.
    assert.ok((await f.t.platform.services.ledger.size()) >= size0 + 4);

    // 有条件开放: Authorization Error (403) without a grant; keys in CKAN's headers; a forged key is refused.
    const cond = await api("datastore_search", { resource_id: f.datasets.cond });
    assert.equal(cond.statusCode, 403);
    assertError(cond.json(), "Authorization Error");
    const u = await registeredKey(f.t, "ckanuser");
    const raw = await api("datastore_search", { resource_id: f.datasets.free, limit: 1 }, { authorization: u.key });
    assert.equal(raw.statusCode, 200, raw.body);
    const legacy = await api("datastore_search", { resource_id: f.datasets.free, limit: 1 }, { "x-ckan-api-key": u.key });
    assert.equal(legacy.statusCode, 200);
    const usage = (await call(f.t.app, { url: `/api/tokens/${u.keyId}/usage`, cookie: u.cookie })).json().usage;
    assert.equal(usage.usedToday, 2, "both CKAN header forms are metered per key");
    const forged = await api("package_list", {}, { authorization: "gs_forged-key" });
    assert.equal(forged.statusCode, 403);
    assertError(forged.json(), "Authorization Error");
    // The keyed read names the key in the ledger, with its watermark recipient.
    const keyed = await api("datastore_search", { resource_id: f.datasets.free, limit: 3 }, { authorization: u.key });
    const idx = (await f.t.platform.services.ledger.size()) - 1;
    const leaf = await ledgerLeaf(f.t, idx);
    assert.equal(keyed.statusCode, 200);
    assert.equal(leaf.kind, "open.data.query");
    assert.equal(leaf.data.channel, "ckan");
    assert.equal(leaf.data.keyId, u.keyId);
    assert.equal(leaf.data.watermark.recipient, `key:${u.keyId}`);
  });
});
