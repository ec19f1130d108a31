import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import iconv from "iconv-lite";
import { call, createTestPlatform, login, makeOrg, makeUser, sampleContent, TEST_ENGINE, type TestPlatform } from "../../../test/helpers.ts";
import { writeCatalogCsv, writeCatalogXlsx } from "./io/index.ts";
import { EntryContent } from "./schema.ts";

/** Catalog import through the HTTP API: every bad row named, all-or-nothing unless bad rows are skipped. */
describe(`catalog import over HTTP (${TEST_ENGINE})`, () => {
  let t: TestPlatform;
  let officer: string;
  const mineTotal = async () => (await call(t.app, { url: "/api/catalog/entries?mine=true&facets=false", cookie: officer })).json().total;
  const upload = (buf: Buffer, filename: string, query = "") =>
    call(t.app, { method: "POST", url: `/api/catalog/import${query}`, cookie: officer, body: buf, headers: { "content-type": "application/octet-stream", "x-filename": encodeURIComponent(filename) } });
  const entries = (names: string[]) =>
    names.map((name, i) => ({ code: `101001/80000${i}`, content: EntryContent.parse(sampleContent({ name })) }));

  before(async () => {
    t = await createTestPlatform();
    const city = await makeOrg(t.platform, "导入市数据局", "city");
    const dept = await makeOrg(t.platform, "导入市公安局", "department", city.id);
    await makeUser(t.platform, "off", dept.id, ["data_officer"]);
    await makeUser(t.platform, "viewer", dept.id, ["dept_user"]);
    officer = await login(t.app, "off");
  });
  after(() => t?.close());

  test("a GBK CSV with a bad row is answered with the row and column and imports nothing", async () => {
    const good = writeCatalogCsv(entries(["出入境证件办理信息", "机动车登记信息", "驾驶证信息"]), { encoding: "gbk" });
    const text = iconv.decode(good, "gb18030");
    // Every CSV line of the second resource (one line per data item) gets an invalid share type.
    const bad = text.split("\n").map((l) => (l.includes("机动车登记信息") ? l.replace("有条件共享", "随意共享") : l)).join("\n");
    assert.notEqual(bad, text, "fixture: the share type of one row was changed");
    const file = iconv.encode(bad, "gb18030");
    const before = await mineTotal();
    const r = await upload(file, "目录.csv");
    assert.equal(r.statusCode, 400, r.body);
    const err = r.json().error;
    assert.equal(err.field, "file");
    assert.match(err.message, /未导入任何条目/);
    const rows = err.details.errors;
    assert.ok(rows.length >= 1);
    assert.ok(rows.every((e: any) => e.column === "共享类型"), JSON.stringify(rows));
    // Header is row 1; each resource has 3 item lines, so the second resource is rows 5–7.
    assert.deepEqual(rows.map((e: any) => e.row), [5], JSON.stringify(rows)); // reported once, on the resource's first line
    assert.match(rows[0].message, /第 5 行「共享类型」取值无效/);
    assert.equal(await mineTotal(), before, "nothing half-written");

    const skip = await upload(file, "目录.csv", "?skipBadRows=true");
    assert.equal(skip.statusCode, 201, skip.body);
    assert.equal(skip.json().imported, 2);
    assert.equal(skip.json().skipped, 1);
    assert.equal(skip.json().encoding, "gb18030");
    assert.equal(await mineTotal(), before + 2);
  });

  test("an Excel template round-trips through export and import", async () => {
    const x = await writeCatalogXlsx(entries(["暂住登记信息", "流动人口信息"]).map((e, i) => ({ ...e, code: `101001/81000${i}` })));
    const r = await upload(x, "目录.xlsx", "?submit=true");
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(r.json().imported, 2);
    const sub = (await call(t.app, { url: "/api/catalog/entries?status=submitted", cookie: officer })).json();
    assert.deepEqual(sub.items.map((x: any) => x.code).sort(), ["101001/810000", "101001/810001"]);
    // The same codes again: refused, nothing imported.
    const again = await upload(x, "目录.xlsx");
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.field, "code");
  });

  test("a broken Excel file, an empty file and a non-officer get clear errors", async () => {
    const x = await writeCatalogXlsx(entries(["不动产登记信息"]));
    const before = await mineTotal();
    const broken = await upload(x.subarray(0, Math.floor(x.length / 2)), "目录.xlsx");
    assert.equal(broken.statusCode, 400);
    assert.equal(broken.json().error.field, "file");
    assert.ok(broken.json().error.message.length > 0 && broken.json().error.messageEn.length > 0);
    const empty = await upload(Buffer.alloc(0), "空.csv");
    assert.equal(empty.statusCode, 400);
    assert.equal(empty.json().error.field, "file");
    assert.equal(await mineTotal(), before);
    const viewer = await login(t.app, "viewer");
    const denied = await call(t.app, { method: "POST", url: "/api/catalog/import", cookie: viewer, body: x, headers: { "content-type": "application/octet-stream" } });
    assert.equal(denied.statusCode, 403);
  });

  test("export: xlsx and GBK CSV of the published catalog; the template downloads", async () => {
    const tpl = await call(t.app, { url: "/api/catalog/template.xlsx" });
    assert.equal(tpl.statusCode, 200);
    assert.equal(tpl.rawPayload.subarray(0, 2).toString(), "PK");
    const csv = await call(t.app, { url: "/api/catalog/export?format=csv&encoding=gbk&status=submitted", cookie: officer });
    assert.equal(csv.statusCode, 200);
    assert.match(iconv.decode(csv.rawPayload, "gb18030"), /暂住登记信息/);
  });
});
