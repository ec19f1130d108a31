import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Parser, Store, Writer, type Quad } from "n3";
import jsonld from "jsonld";
import SHACLValidator from "rdf-validate-shacl";
import { call, createTestPlatform, login, makeOrg, makeUser, sampleContent, TEST_ENGINE, type TestPlatform } from "../../../test/helpers.ts";
import { negotiate } from "./dcat-routes.ts";
import { datasetGraph, NS, toJsonLd, toTurtle } from "./dcat.ts";

// The official DCAT-AP 3.0.1 shapes, vendored unchanged (CC-BY 4.0, see the README there) so the test
// runs on any clone.
const SHAPES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../test/fixtures/dcat-ap-3.0.1");
const BASE = "https://data.example.gov.cn";
const HAN = /\p{Script=Han}/u;
const { dcat, dct, rdf } = NS;

/** DCAT-AP 3.0.1 shapes plus the range constraints (README: validate with both). */
const shapes = ["dcat-ap-SHACL.ttl", "ranges.ttl"].flatMap((f) => new Parser().parse(fs.readFileSync(path.join(SHAPES_DIR, f), "utf8")));

async function validate(quads: Quad[], label: string) {
  const validator = new SHACLValidator(new Store(shapes));
  const report = await validator.validate(new Store(quads));
  const violations = report.results.map((r) => `${r.focusNode?.value} ${r.path?.value ?? ""}: ${r.message.map((m) => m.value).join("; ")} [${r.sourceConstraintComponent?.value}]`);
  assert.ok(report.conforms, `${label} does not conform to DCAT-AP 3.0.1:\n${violations.join("\n")}`);
}

const parseTurtle = (ttl: string): Quad[] => new Parser({ format: "text/turtle" }).parse(ttl);

/** JSON-LD → RDF with the reference processor; the document must not need any remote context. */
async function parseJsonLd(doc: object): Promise<Quad[]> {
  const nquads = (await jsonld.toRDF(doc as jsonld.JsonLdDocument, {
    format: "application/n-quads",
    documentLoader: async (url: string) => { throw new Error(`no remote loading (${url})`); },
  } as jsonld.Options.ToRdf)) as unknown as string;
  return new Parser({ format: "application/n-quads" }).parse(nquads);
}

/** Canonical N-Quads (RDFC-1.0): equal strings ⇔ isomorphic graphs, blank nodes (list cells) included. */
async function canonical(quads: Quad[]): Promise<string> {
  const nq = new Writer({ format: "application/n-quads" }).quadsToString(quads);
  // jsonld takes N-Quads text as input with inputFormat (its typings only know documents).
  return jsonld.canonize(nq as unknown as jsonld.JsonLdDocument, { algorithm: "URDNA2015", inputFormat: "application/n-quads", format: "application/n-quads" });
}

const objects = (qs: Quad[], s: string, p: string) => qs.filter((q) => q.subject.value === s && q.predicate.value === p).map((q) => q.object);
const values = (qs: Quad[], s: string, p: string) => objects(qs, s, p).map((o) => o.value).sort();

function assertZhTagged(qs: Quad[], label: string) {
  const bad = qs.filter((q) => q.object.termType === "Literal" && HAN.test(q.object.value) && q.object.language !== "zh");
  assert.deepEqual(bad.map((q) => `${q.predicate.value} ${q.object.value}@${(q.object as { language?: string }).language}`), [], `${label}: Chinese literals without @zh`);
}

/** Fetch one document in both formats, check types, zh tags, isomorphism and SHACL; returns the quads. */
async function fetchBoth(t: TestPlatform, urlTtl: string, urlJsonld: string, label: string): Promise<Quad[]> {
  const [rt, rj] = await Promise.all([call(t.app, { url: urlTtl }), call(t.app, { url: urlJsonld })]);
  assert.equal(rt.statusCode, 200, rt.body);
  assert.equal(rj.statusCode, 200, rj.body);
  assert.match(String(rt.headers["content-type"]), /^text\/turtle/);
  assert.match(String(rj.headers["content-type"]), /^application\/ld\+json/);
  const fromTtl = parseTurtle(rt.body);
  const doc = JSON.parse(rj.body);
  assert.equal(doc["@context"]["@language"], "zh");
  const fromJsonLd = await parseJsonLd(doc);
  assert.equal(fromJsonLd.length, fromTtl.length, `${label}: JSON-LD and Turtle differ in size`);
  assert.equal(await canonical(fromJsonLd), await canonical(fromTtl), `${label}: JSON-LD and Turtle are not the same graph`);
  assertZhTagged(fromTtl, label);
  await validate(fromTtl, `${label} (Turtle)`);
  await validate(fromJsonLd, `${label} (JSON-LD)`);
  return fromTtl;
}

describe(`DCAT-AP 3.0.1 export of the open catalog (${TEST_ENGINE})`, () => {
  let t: TestPlatform;
  let admin: string, officer: string;
  let providerId: string;
  const ids = { open: "", conditional: "", closed: "", draft: "" };
  const codes = { open: "", conditional: "", closed: "" };
  const savedEnv = process.env.GONGSHU_PUBLIC_URL;

  const publish = async (content: object, cookie = officer) => {
    const r = await call(t.app, { method: "POST", url: "/api/catalog/entries", cookie, body: { content } });
    assert.equal(r.statusCode, 201, r.body);
    const id = r.json().entry.id as string;
    assert.equal((await call(t.app, { method: "POST", url: `/api/catalog/entries/${id}/submit`, cookie })).statusCode, 200);
    const ok = await call(t.app, { method: "POST", url: `/api/catalog/entries/${id}/review`, cookie: admin, body: { decision: "approve" } });
    assert.equal(ok.statusCode, 200, ok.body);
    return { id, code: ok.json().entry.code as string };
  };

  const openContent = sampleContent({
    name: "公交线路站点信息",
    summary: "本市公交线路、站点名称与位置、首末班时间，供出行服务和交通研究使用。",
    category: "主题", classCode: "201001", theme: "公共服务", domains: ["交通运输", "城市治理"], keywords: ["公交", "站点"],
    formatCategory: "电子表格", formats: ["xlsx", "csv"],
    items: [
      { name: "线路名称", nameEn: "line_name", type: "字符型", length: 50, required: true, key: true },
      { name: "站点名称", nameEn: "stop_name", type: "字符型", length: 100, required: true, key: true, description: "站点的标准名称" },
      { name: "经度", nameEn: "lng", type: "数值型" },
      { name: "首班时间", type: "日期时间型" },
    ],
    shareType: "无条件共享", shareConditions: undefined, shareMethodType: "文件",
    openType: "无条件开放", notOpenBasis: undefined, updateCycle: "每月", generalLevel: 1,
    sourceSystem: { name: "公交运营调度系统" }, contact: { name: "李静", phone: "0571-8888 0002", email: "open@jt.example.gov.cn" },
  });

  before(async () => {
    process.env.GONGSHU_PUBLIC_URL = `${BASE}/`;
    t = await createTestPlatform();
    const p = t.platform;
    const city = await makeOrg(p, "测试市数据局", "city");
    const dept = await p.services.identity.createOrg({ name: "测试市交通运输局", kind: "department", parentId: city.id, code: "11330100MB1234567X" });
    providerId = dept.id;
    await makeUser(p, "admin1", city.id, ["platform_admin"]);
    await makeUser(p, "officer_a", dept.id, ["data_officer"]);
    [admin, officer] = await Promise.all([login(t.app, "admin1"), login(t.app, "officer_a")]);

    ({ id: ids.open, code: codes.open } = await publish(openContent));
    ({ id: ids.conditional, code: codes.conditional } = await publish(sampleContent({
      name: "企业登记基本信息",
      summary: "市场主体名称、统一社会信用代码、登记机关、成立日期等登记信息。",
      category: "基础", classCode: "102001", theme: "法人单位", domains: ["金融服务"], keywords: ["企业", "登记"],
      items: [
        { name: "企业名称", type: "字符型", length: 200, required: true },
        { name: "统一社会信用代码", nameEn: "uscc", type: "字符型", length: 18, required: true, key: true },
        { name: "成立日期", type: "日期型" },
      ],
      openType: "有条件开放", openConditions: "仅限科研和公益用途，须签署数据使用协议", notOpenBasis: undefined, updateCycle: "实时",
    })));
    ({ id: ids.closed, code: codes.closed } = await publish(sampleContent()));
    const draft = await call(t.app, { method: "POST", url: "/api/catalog/entries", cookie: officer, body: { content: { ...openContent, name: "未发布的开放数据" } } });
    ids.draft = draft.json().entry.id;

    // A second published version of the open entry: dct:issued stays, dct:modified and dcat:version move.
    const upd = await call(t.app, { method: "PUT", url: `/api/catalog/entries/${ids.open}`, cookie: officer, body: { content: { ...openContent, summary: `${openContent.summary}每月初更新。` }, reason: "补充更新时间" } });
    assert.equal(upd.statusCode, 200, upd.body);
    await call(t.app, { method: "POST", url: `/api/catalog/entries/${ids.open}/submit`, cookie: officer });
    assert.equal((await call(t.app, { method: "POST", url: `/api/catalog/entries/${ids.open}/review`, cookie: admin, body: { decision: "approve" } })).statusCode, 200);
  });
  after(async () => {
    if (savedEnv === undefined) delete process.env.GONGSHU_PUBLIC_URL;
    else process.env.GONGSHU_PUBLIC_URL = savedEnv;
    await t?.close();
  });

  const dsIri = (id: string) => `${BASE}/api/open/dcat/datasets/${id}`;
  const catIri = `${BASE}/api/open/dcat/catalog`;

  test("the catalog: open datasets only, valid against the DCAT-AP 3.0.1 shapes, the same graph in Turtle and JSON-LD", async () => {
    const qs = await fetchBoth(t, "/api/open/dcat/catalog.ttl", "/api/open/dcat/catalog.jsonld", "catalog");
    assert.deepEqual(values(qs, catIri, `${rdf}type`), [`${dcat}Catalog`]);
    assert.deepEqual(values(qs, catIri, `${dcat}dataset`), [dsIri(ids.open), dsIri(ids.conditional)].sort());
    // 不予开放 and unpublished entries are nowhere in the graph.
    const everything = qs.flatMap((q) => [q.subject.value, q.object.value]).join("\n");
    for (const absent of [ids.closed, codes.closed, ids.draft, "常住人口基本信息", "未发布的开放数据"]) assert.ok(!everything.includes(absent), `${absent} leaked into the catalog`);
    // Titles in Chinese and English; the platform's data administration publishes the catalog.
    const titles = objects(qs, catIri, `${dct}title`);
    assert.deepEqual(titles.map((o) => (o as { language: string }).language).sort(), ["en", "zh"]);
    const publisher = objects(qs, catIri, `${dct}publisher`)[0].value;
    assert.deepEqual(values(qs, publisher, `${NS.foaf}name`), ["测试市数据局"]);
    assert.ok(values(qs, catIri, `${dcat}themeTaxonomy`).includes("http://publications.europa.eu/resource/authority/data-theme"));
  });

  test("one dataset per format: metadata mapped to DCAT-AP with EU vocabularies", async () => {
    const qs = await fetchBoth(t, `/api/open/dcat/datasets/${ids.open}.ttl`, `/api/open/dcat/datasets/${ids.open}.jsonld`, "open dataset");
    const ds = dsIri(ids.open);
    assert.deepEqual(values(qs, ds, `${dct}identifier`), [codes.open]);
    const title = objects(qs, ds, `${dct}title`);
    assert.equal(title.length, 1);
    assert.equal(title[0].value, "公交线路站点信息");
    assert.equal((title[0] as { language: string }).language, "zh");
    assert.deepEqual(values(qs, ds, `${dcat}keyword`), ["公交", "站点"]);
    assert.deepEqual(values(qs, ds, `${dct}accessRights`), ["http://publications.europa.eu/resource/authority/access-right/PUBLIC"]);
    assert.deepEqual(values(qs, ds, `${dct}accrualPeriodicity`), ["http://publications.europa.eu/resource/authority/frequency/MONTHLY"]);
    assert.deepEqual(values(qs, ds, `${dcat}version`), ["2"]);
    const [issued] = values(qs, ds, `${dct}issued`);
    const [modified] = values(qs, ds, `${dct}modified`);
    assert.ok(issued < modified, `issued ${issued} should precede modified ${modified}`);
    const themes = values(qs, ds, `${dcat}theme`);
    for (const eu of ["GOVE", "TRAN", "REGI"]) assert.ok(themes.includes(`http://publications.europa.eu/resource/authority/data-theme/${eu}`), `theme ${eu}`);
    const publisher = values(qs, ds, `${dct}publisher`)[0];
    assert.deepEqual(values(qs, publisher, `${NS.foaf}name`), ["测试市交通运输局"]);
    assert.deepEqual(values(qs, publisher, `${dct}identifier`), ["11330100MB1234567X"]);
    assert.ok(publisher.includes(providerId));
    const contact = values(qs, ds, `${dcat}contactPoint`)[0];
    assert.deepEqual(values(qs, contact, `${NS.vcard}hasTelephone`), ["tel:0571-88880002;phone-context=+86"]);
    assert.deepEqual(values(qs, contact, `${NS.vcard}hasEmail`), ["mailto:open@jt.example.gov.cn"]);

    const dists = values(qs, ds, `${dcat}distribution`);
    assert.equal(dists.length, 4);
    const byFormat = Object.fromEntries(dists.map((d) => [values(qs, d, `${dct}format`)[0].split("/").pop(), d]));
    assert.deepEqual(Object.keys(byFormat).sort(), ["CSV", "JSON", "PARQUET", "XLSX"]);
    const csv = byFormat.CSV;
    assert.deepEqual(values(qs, csv, `${dcat}accessURL`), [`${BASE}/api/open/datasets/${ids.open}/download?format=csv`]);
    assert.deepEqual(values(qs, csv, `${dcat}downloadURL`), [`${BASE}/api/open/datasets/${ids.open}/download?format=csv`]);
    assert.deepEqual(values(qs, csv, `${dcat}mediaType`), ["https://www.iana.org/assignments/media-types/text/csv"]);
    assert.deepEqual(values(qs, byFormat.PARQUET, `${dcat}mediaType`), ["https://www.iana.org/assignments/media-types/application/vnd.apache.parquet"]);
    const sample = values(qs, ds, `${NS.adms}sample`)[0];
    assert.deepEqual(values(qs, sample, `${dcat}accessURL`), [`${BASE}/api/open/datasets/${ids.open}/sample`]);

    // The data items: a CSVW schema the dataset conforms to, columns in order.
    const schema = values(qs, ds, `${dct}conformsTo`)[0];
    assert.match(values(qs, schema, `${dct}description`)[0], /线路名称（字符型，长度 50，必填，主键）/);
    let cell = objects(qs, schema, `${NS.csvw}column`)[0];
    const columns: string[] = [];
    while (cell.value !== `${rdf}nil`) {
      columns.push(objects(qs, objects(qs, cell.value, `${rdf}first`)[0].value, `${NS.csvw}title`).find((o) => (o as { language: string }).language === "zh")!.value);
      cell = objects(qs, cell.value, `${rdf}rest`)[0];
    }
    assert.deepEqual(columns, ["线路名称", "站点名称", "经度", "首班时间"]);
  });

  test("有条件开放 is restricted: no download URL, the opening conditions as the rights statement", async () => {
    const qs = await fetchBoth(t, `/api/open/dcat/datasets/${ids.conditional}?format=ttl`, `/api/open/dcat/datasets/${ids.conditional}?format=jsonld`, "conditional dataset");
    const ds = dsIri(ids.conditional);
    assert.deepEqual(values(qs, ds, `${dct}accessRights`), ["http://publications.europa.eu/resource/authority/access-right/RESTRICTED"]);
    assert.deepEqual(values(qs, ds, `${dct}accrualPeriodicity`), ["http://publications.europa.eu/resource/authority/frequency/UPDATE_CONT"]);
    for (const d of values(qs, ds, `${dcat}distribution`)) {
      assert.equal(values(qs, d, `${dcat}downloadURL`).length, 0);
      assert.equal(values(qs, d, `${dcat}accessURL`).length, 1);
      const rights = values(qs, d, `${dct}rights`)[0];
      assert.match(values(qs, rights, `${NS.rdfs}label`)[0], /仅限科研和公益用途/);
    }
  });

  test("content negotiation on the dataset and catalog IRIs; Turtle by default", async () => {
    const ttl = await call(t.app, { url: `/api/open/dcat/datasets/${ids.open}`, headers: { accept: "text/turtle" } });
    assert.match(String(ttl.headers["content-type"]), /^text\/turtle/);
    assert.equal(ttl.headers.vary, "Accept");
    const js = await call(t.app, { url: `/api/open/dcat/datasets/${ids.open}`, headers: { accept: "text/turtle;q=0.5, application/ld+json" } });
    assert.match(String(js.headers["content-type"]), /^application\/ld\+json/);
    assert.equal(JSON.parse(js.body)["@graph"].some((n: { "@id": string }) => n["@id"] === dsIri(ids.open)), true);
    const cat = await call(t.app, { url: "/api/open/dcat/catalog", headers: { accept: "application/ld+json" } });
    assert.match(String(cat.headers["content-type"]), /^application\/ld\+json/);
    const def = await call(t.app, { url: "/api/open/dcat/catalog", headers: { accept: "text/html,*/*;q=0.8" } });
    assert.match(String(def.headers["content-type"]), /^text\/turtle/);
    assert.equal(negotiate("application/json"), "jsonld");
    assert.equal(negotiate("application/ld+json;q=0, */*"), "ttl");
    assert.equal(negotiate(undefined), "ttl");
  });

  test("不予开放, unpublished and unknown datasets are a structured 404", async () => {
    for (const id of [ids.closed, ids.draft, "ent_doesnotexist"]) {
      for (const url of [`/api/open/dcat/datasets/${id}`, `/api/open/dcat/datasets/${id}.jsonld`]) {
        const r = await call(t.app, { url });
        assert.equal(r.statusCode, 404, url);
        assert.equal(r.json().error.code, "not_found");
        assert.equal(r.json().error.field, "id");
      }
    }
    // Even the provider's own officer gets only the public view.
    assert.equal((await call(t.app, { url: `/api/open/dcat/datasets/${ids.draft}.ttl`, cookie: officer })).statusCode, 404);
    assert.equal((await call(t.app, { url: "/api/open/dcat/datasets/bad..id" })).statusCode, 400);
  });

  test("paging: a hydra view links the pages, each page is a valid catalog", async () => {
    const seen: string[] = [];
    for (const page of [1, 2]) {
      const qs = await fetchBoth(t, `/api/open/dcat/catalog.ttl?pageSize=1&page=${page}`, `/api/open/dcat/catalog.jsonld?pageSize=1&page=${page}`, `catalog page ${page}`);
      const ds = values(qs, catIri, `${dcat}dataset`);
      assert.equal(ds.length, 1);
      seen.push(...ds);
      const view = values(qs, catIri, `${NS.hydra}view`)[0];
      assert.deepEqual(values(qs, view, `${NS.hydra}totalItems`), ["2"]);
      assert.equal(values(qs, view, `${NS.hydra}next`).length, page === 1 ? 1 : 0);
    }
    // 无条件开放 first, then 有条件开放.
    assert.deepEqual(seen, [dsIri(ids.open), dsIri(ids.conditional)]);
    const beyond = parseTurtle((await call(t.app, { url: "/api/open/dcat/catalog.ttl?pageSize=1&page=5" })).body);
    assert.equal(values(beyond, catIri, `${dcat}dataset`).length, 0);
    assert.equal((await call(t.app, { url: "/api/open/dcat/catalog.ttl?pageSize=501" })).statusCode, 400);
  });

  test("the shapes check is live: a broken export does not conform", async () => {
    const qs = parseTurtle((await call(t.app, { url: `/api/open/dcat/datasets/${ids.open}.ttl` })).body);
    const freq = "http://publications.europa.eu/resource/authority/frequency/MONTHLY";
    // Drop the type of a linked EU authority node (sh:class) and the publisher's name (sh:minCount).
    const broken = qs.filter((q) => !(q.subject.value === freq && q.predicate.value === `${rdf}type`) && q.predicate.value !== `${NS.foaf}name`);
    const report = await new SHACLValidator(new Store(shapes)).validate(new Store(broken));
    assert.equal(report.conforms, false);
    const components = new Set(report.results.map((r) => r.sourceConstraintComponent.value.split("#")[1]));
    assert.deepEqual([...components].sort(), ["ClassConstraintComponent", "MinCountConstraintComponent"]);
  });

  test("English title and description are tagged @en when the catalog holds them", async () => {
    const content = { ...(await call(t.app, { url: `/api/catalog/entries/${ids.open}` })).json().entry.content };
    const g = datasetGraph({ id: ids.open, code: codes.open, content, provider: { id: providerId, name: "测试市交通运输局", code: null }, issued: null, modified: null, version: 1, titleEn: "Bus lines and stops", descriptionEn: "Bus lines and stops of the city." }, { baseUrl: BASE });
    const qs = parseTurtle(await toTurtle(g));
    const langs = objects(qs, dsIri(ids.open), `${dct}title`).map((o) => `${o.value}@${(o as { language: string }).language}`).sort();
    assert.deepEqual(langs, ["Bus lines and stops@en", "公交线路站点信息@zh"]);
    assert.equal(await canonical(await parseJsonLd(toJsonLd(g))), await canonical(qs));
    await validate(qs, "dataset with English");
  });
});
