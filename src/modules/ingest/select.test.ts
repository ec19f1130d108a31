import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestPlatform, makeOrg, makeUser, sampleContent, TEST_ENGINE, type TestPlatform } from "../../../test/helpers.ts";
import type { Actor } from "../policy/index.ts";
import { InvalidError } from "../../core/errors.ts";
import { PERSON_ITEMS } from "./fixtures.ts";

/** ingest.selectRows / streamRows: the selections by which data leaves (columns, filters, q, sort, paging). */
describe(`ingest selections (${TEST_ENGINE})`, () => {
  let t: TestPlatform;
  let datasetId: string;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gongshu-select-"));
  const rows = [
    ["330102194001010001", "张三", "男", "1940-01-01", "100.5", "3", "是", "2020-01-01 10:00:00"],
    ["330105194001010000", "李四", "女", "1950-02-02", "200", "1", "否", "2021-01-01 10:00:00"],
    ["33010619400101000X", "王五'; DROP TABLE x; --", "男", "1960-03-03", "300", "5", "是", "2022-01-01 10:00:00"],
    ["330108194001010003", "赵六", "女", "", "", "", "", ""],
  ];

  before(async () => {
    t = await createTestPlatform();
    const city = await makeOrg(t.platform, "数据局", "city");
    const dept = await makeOrg(t.platform, "人社局", "department", city.id);
    const o = await makeUser(t.platform, "officer1", dept.id, ["data_officer"]);
    const a = await makeUser(t.platform, "admin1", city.id, ["platform_admin"]);
    const officer: Actor = { kind: "user", userId: o.id, username: "officer1", displayName: "o", orgId: dept.id, roles: ["data_officer"], via: "token" };
    const admin: Actor = { kind: "user", userId: a.id, username: "admin1", displayName: "a", orgId: city.id, roles: ["platform_admin"], via: "token" };
    const e = await t.platform.services.catalog.create(officer, { content: sampleContent({ items: PERSON_ITEMS }) as never });
    await t.platform.services.catalog.submit(officer, e.id);
    await t.platform.services.catalog.review(admin, e.id, { decision: "approve" });
    const file = path.join(tmp, "p.csv");
    fs.writeFileSync(file, [PERSON_ITEMS.map((i) => i.name).join(","), ...rows.map((r) => r.map((c) => (c.includes(",") ? `"${c}"` : c)).join(","))].join("\n"));
    const r = await t.platform.services.ingest.loadFile(officer, { entryId: e.id, path: file, filename: "p.csv", mode: "all-or-nothing", wait: true });
    assert.equal(r.job.status, "succeeded", JSON.stringify(r.job.error));
    datasetId = (r.job.result as { datasetId: string }).datasetId;
  });
  after(async () => {
    await t?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const sel = (q: Record<string, unknown>) => t.platform.services.ingest.selectRows(datasetId, { limit: 100, offset: 0, ...q } as never);

  test("columns, filters of each kind, text search, sort and paging; values keep their types", async () => {
    const all = await sel({});
    assert.equal(all.total, 4);
    assert.deepEqual(all.rows.map((r) => r["姓名"]), ["张三", "李四", "王五'; DROP TABLE x; --", "赵六"], "file order by default");
    assert.equal(all.rows[0]["家庭人数"], 3, "integers come back as numbers");
    assert.equal(all.rows[0]["是否在职"], true);
    const two = await sel({ columns: ["姓名", "参保金额"], filters: [{ column: "参保金额", op: "gte", value: 150 }], sort: [{ column: "参保金额", desc: true }] });
    assert.deepEqual(two.rows, [{ 姓名: "王五'; DROP TABLE x; --", 参保金额: 300 }, { 姓名: "李四", 参保金额: 200 }]);
    assert.equal((await sel({ filters: [{ column: "出生日期", op: "lt", value: "1955-01-01" }] })).total, 2);
    assert.equal((await sel({ filters: [{ column: "性别", op: "in", value: ["女"] }, { column: "是否在职", op: "eq", value: "false" }] })).total, 1);
    assert.equal((await sel({ filters: [{ column: "姓名", op: "like", value: "drop table" }] })).total, 1, "a filter value is only a value");
    assert.equal((await sel({ filters: [{ column: "姓名", op: "eq", value: "x' OR '1'='1" }] })).total, 0);
    assert.equal((await sel({ q: "李" })).total, 1);
    const page = await sel({ limit: 2, offset: 2 });
    assert.equal(page.total, 4);
    assert.deepEqual(page.rows.map((r) => r["姓名"]), ["王五'; DROP TABLE x; --", "赵六"]);
    const streamed: string[] = [];
    const s = await t.platform.services.ingest.streamRows(datasetId, { columns: ["姓名"], filters: [{ column: "性别", op: "eq", value: "男" }] }, async (batch) => {
      streamed.push(...batch.map((r) => String(r["姓名"])));
    });
    assert.equal(s.rows, 2);
    assert.deepEqual(streamed, ["张三", "王五'; DROP TABLE x; --"]);
  });

  test("bad selections name the field", async () => {
    const field = async (q: Record<string, unknown>) => {
      try {
        await sel(q);
      } catch (e) {
        assert.ok(e instanceof InvalidError, String(e));
        return (e as InvalidError).field;
      }
      assert.fail(`accepted ${JSON.stringify(q)}`);
    };
    assert.equal(await field({ columns: ["口令"] }), "columns.0");
    assert.equal(await field({ filters: [{ column: "x", op: "eq", value: 1 }] }), "filters.0.column");
    assert.equal(await field({ filters: [{ column: "姓名", op: "regex", value: 1 }] }), "filters.0.op");
    assert.equal(await field({ filters: [{ column: "参保金额", op: "eq", value: "1; DROP" }] }), "filters.0.value");
    assert.equal(await field({ filters: [{ column: "家庭人数", op: "eq", value: 2.5 }] }), "filters.0.value");
    assert.equal(await field({ filters: [{ column: "出生日期", op: "eq", value: "yesterday" }] }), "filters.0.value");
    assert.equal(await field({ filters: [{ column: "参保金额", op: "like", value: "1" }] }), "filters.0.op");
    assert.equal(await field({ sort: [{ column: "nope" }] }), "sort.0.column");
    assert.equal(await field({ limit: 1_000_000 }), "limit");
    assert.equal(await field({ offset: -1 }), "offset");
  });
});
