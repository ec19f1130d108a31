import { DataFactory, Writer, type Quad_Object } from "n3";
import { NotFoundError } from "../../core/errors.ts";
import { ANONYMOUS } from "../policy/index.ts";
import {
  SearchQuery,
  type CatalogSearch,
  type CatalogService,
  type EntryContent,
  type EntrySummaryView,
  type ItemType,
  type OpenType,
  type UpdateCycle,
} from "../catalog/index.ts";

/**
 * DCAT-AP 3.0.1 export of the open catalog (issue 4, "Interop"). Published entries whose 开放属性 is
 * 无条件开放 or 有条件开放 become dcat:Dataset; 不予开放 entries are never exported. One graph model is
 * built per request and written both as Turtle (n3) and as JSON-LD (a flat @graph under a context whose
 * default language is zh), so the two documents carry the same triples.
 *
 * The shapes (shared/data/dcat-ap-3.0.1) check `sh:class` on every link and the validator does not
 * dereference anything: every linked node is typed here (EU authority IRIs included), and every node
 * typed skos:Concept / skos:ConceptScheme carries the skos:prefLabel / dct:title its shape requires.
 */

// ---------------------------------------------------------------- vocabulary

export const NS = {
  rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  rdfs: "http://www.w3.org/2000/01/rdf-schema#",
  xsd: "http://www.w3.org/2001/XMLSchema#",
  dcat: "http://www.w3.org/ns/dcat#",
  dct: "http://purl.org/dc/terms/",
  foaf: "http://xmlns.com/foaf/0.1/",
  vcard: "http://www.w3.org/2006/vcard/ns#",
  skos: "http://www.w3.org/2004/02/skos/core#",
  csvw: "http://www.w3.org/ns/csvw#",
  hydra: "http://www.w3.org/ns/hydra/core#",
  adms: "http://www.w3.org/ns/adms#",
  euaccess: "http://publications.europa.eu/resource/authority/access-right/",
  eufreq: "http://publications.europa.eu/resource/authority/frequency/",
  eutheme: "http://publications.europa.eu/resource/authority/data-theme/",
  eulang: "http://publications.europa.eu/resource/authority/language/",
  eufile: "http://publications.europa.eu/resource/authority/file-type/",
} as const;
const { rdf, rdfs, xsd, dcat, dct, foaf, vcard, skos, csvw, hydra, adms } = NS;

export const OPEN_FOR_EXPORT: readonly OpenType[] = ["无条件开放", "有条件开放"];
export const isExported = (openType: OpenType): boolean => OPEN_FOR_EXPORT.includes(openType);

/** 更新周期 → EU frequency authority table. */
export const FREQUENCY: Record<UpdateCycle, string> = {
  实时: "UPDATE_CONT", 每日: "DAILY", 每周: "WEEKLY", 每月: "MONTHLY", 每季度: "QUARTERLY", 每半年: "ANNUAL_2", 每年: "ANNUAL", 不定期: "IRREG",
};

/** 开放属性 → EU access-right authority table (不予开放 is never exported). */
const ACCESS_RIGHT: Record<string, string> = { 无条件开放: "PUBLIC", 有条件开放: "RESTRICTED" };

/** The EU data themes we map to, with their official English label and our Chinese one. */
const EU_THEMES = {
  AGRI: ["Agriculture, fisheries, forestry and food", "农业、渔业、林业和食品"],
  ECON: ["Economy and finance", "经济和金融"],
  EDUC: ["Education, culture and sport", "教育、文化和体育"],
  ENER: ["Energy", "能源"],
  ENVI: ["Environment", "环境"],
  GOVE: ["Government and public sector", "政府和公共部门"],
  HEAL: ["Health", "卫生健康"],
  JUST: ["Justice, legal system and public safety", "司法、法律体系和公共安全"],
  REGI: ["Regions and cities", "区域和城市"],
  SOCI: ["Population and society", "人口和社会"],
  TECH: ["Science and technology", "科学和技术"],
  TRAN: ["Transport", "交通运输"],
} as const;
type EuTheme = keyof typeof EU_THEMES;

/** Our 资源属性分类 themes and the 数据要素× domains → EU data themes (RULES.md §2.1). Others fall back to GOVE. */
const THEME_TO_EU: Record<string, EuTheme[]> = {
  人口: ["SOCI"], 法人单位: ["ECON"], 自然资源和空间地理: ["ENVI", "REGI"], 社会信用: ["ECON"], 电子证照: ["GOVE"],
  公共服务: ["GOVE"], 健康保障: ["HEAL"], 社会保障: ["SOCI"], 食品药品安全: ["HEAL"], 安全生产: ["JUST"], 价格监管: ["ECON"],
  能源安全: ["ENER"], 信用体系: ["ECON"], 城乡建设: ["REGI"], 社区治理: ["SOCI"], 生态环保: ["ENVI"], 应急维稳: ["JUST"],
  工业制造: ["ECON"], 现代农业: ["AGRI"], 商贸流通: ["ECON"], 交通运输: ["TRAN"], 金融服务: ["ECON"], 科技创新: ["TECH"],
  文化旅游: ["EDUC"], 医疗健康: ["HEAL"], 应急管理: ["JUST"], 气象服务: ["ENVI"], 城市治理: ["REGI"], 绿色低碳: ["ENVI"],
};

const CATEGORY_LABELS: Record<string, [string, string]> = {
  基础: ["基础信息资源", "Base information resources"],
  主题: ["主题信息资源", "Thematic information resources"],
  部门: ["部门信息资源", "Departmental information resources"],
};

/** The download formats of the open portal, with their EU file type and IANA media type. */
export const DOWNLOAD_FORMATS = [
  { format: "csv", label: "CSV", fileType: "CSV", mediaType: "text/csv" },
  { format: "xlsx", label: "XLSX", fileType: "XLSX", mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
  { format: "json", label: "JSON", fileType: "JSON", mediaType: "application/json" },
  { format: "parquet", label: "Parquet", fileType: "PARQUET", mediaType: "application/vnd.apache.parquet" },
] as const;

const ITEM_DATATYPE: Record<ItemType, string> = {
  字符型: "string", 整数型: "integer", 数值型: "decimal", 日期型: "date", 日期时间型: "dateTime", 布尔型: "boolean", 二进制型: "base64Binary",
};

const HAN = /\p{Script=Han}/u;

// ---------------------------------------------------------------- graph model

export type Obj =
  | { iri: string }
  | { value: string; lang?: string; datatype?: string }
  | { list: Obj[] };

/** A small RDF graph: subjects and predicates in insertion order, duplicate triples dropped, no blank nodes except list cells. */
export class Graph {
  readonly nodes = new Map<string, Map<string, Obj[]>>();
  private seen = new Set<string>();

  add(s: string, p: string, o: Obj | Obj[] | undefined | null): this {
    for (const one of Array.isArray(o) ? o : o ? [o] : []) {
      const key = `${s}\u0000${p}\u0000${JSON.stringify(one)}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      let preds = this.nodes.get(s);
      if (!preds) this.nodes.set(s, (preds = new Map()));
      let objs = preds.get(p);
      if (!objs) preds.set(p, (objs = []));
      objs.push(one);
    }
    return this;
  }

  type(s: string, ...classes: string[]): this {
    return this.add(s, `${rdf}type`, classes.map((c) => ({ iri: c })));
  }

  has(s: string): boolean {
    return this.nodes.has(s);
  }
}

const iri = (v: string): Obj => ({ iri: v });
const zh = (v: string): Obj => ({ value: v, lang: "zh" });
const en = (v: string): Obj => ({ value: v, lang: "en" });
const plain = (v: string): Obj => ({ value: v });
const dateTime = (v: string): Obj => ({ value: v, datatype: `${xsd}dateTime` });
const integer = (n: number): Obj => ({ value: String(n), datatype: `${xsd}integer` });
/** Chinese text gets @zh; text without Han characters stays untagged (codes, numbers). */
const text = (v: string): Obj => (HAN.test(v) ? zh(v) : plain(v));

// ---------------------------------------------------------------- serializers

/** Turtle with the prefixes of NS (n3's Writer; lists as Turtle collections). */
export function toTurtle(g: Graph): Promise<string> {
  const { namedNode, literal } = DataFactory;
  const writer = new Writer({ prefixes: { ...NS } });
  // @types/n3 declares list() as returning an array; n3 returns the collection's term.
  const term = (o: Obj): Quad_Object =>
    "iri" in o ? namedNode(o.iri) : "list" in o ? (writer.list(o.list.map(term)) as unknown as Quad_Object) : literal(o.value, o.lang ?? (o.datatype ? namedNode(o.datatype) : undefined));
  for (const [s, preds] of g.nodes) for (const [p, objs] of preds) for (const o of objs) writer.addQuad(namedNode(s), namedNode(p), term(o));
  return new Promise((resolve, reject) => writer.end((err, out) => (err ? reject(err) : resolve(out))));
}

/** The JSON-LD context: our prefixes, and Chinese as the default language of plain strings. */
export const JSONLD_CONTEXT = { "@language": "zh", ...NS } as const;

const LOCAL = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
function compact(full: string): string {
  let best: [string, string] | undefined;
  for (const [prefix, ns] of Object.entries(NS)) {
    if (full.startsWith(ns) && LOCAL.test(full.slice(ns.length)) && (!best || ns.length > best[1].length)) best = [prefix, ns];
  }
  return best ? `${best[0]}:${full.slice(best[1].length)}` : full;
}

type JsonLdValue = string | { "@id": string } | { "@value": string; "@language"?: string; "@type"?: string } | { "@list": JsonLdValue[] };

/**
 * Compacted JSON-LD: a flat @graph, property keys and types as compact IRIs, @zh strings as plain JSON
 * strings (the context's default language), every other literal as an explicit value object.
 */
export function toJsonLd(g: Graph): { "@context": typeof JSONLD_CONTEXT; "@graph": Record<string, unknown>[] } {
  const value = (o: Obj): JsonLdValue => {
    if ("iri" in o) return { "@id": o.iri };
    if ("list" in o) return { "@list": o.list.map(value) };
    if (o.lang === "zh") return o.value;
    if (o.lang) return { "@value": o.value, "@language": o.lang };
    if (o.datatype) return { "@value": o.value, "@type": compact(o.datatype) };
    return { "@value": o.value };
  };
  const graph: Record<string, unknown>[] = [];
  for (const [s, preds] of g.nodes) {
    const node: Record<string, unknown> = { "@id": s };
    for (const [p, objs] of preds) {
      if (p === `${rdf}type`) node["@type"] = objs.map((o) => compact((o as { iri: string }).iri));
      else node[compact(p)] = objs.map(value);
    }
    graph.push(node);
  }
  return { "@context": JSONLD_CONTEXT, "@graph": graph };
}

// ---------------------------------------------------------------- mapping

export interface DcatOptions {
  /** The server's public origin, e.g. https://data.example.gov.cn (no trailing slash needed). */
  baseUrl: string;
  /** The public web page of a dataset (dcat:landingPage); default the portal's catalog page. */
  landingPath?: (entryId: string) => string;
  /** A licence document for every distribution (dct:license), when the platform has one. */
  licenseUrl?: string;
  catalogTitle?: { zh: string; en: string };
  catalogDescription?: { zh: string; en: string };
}

/** What one dataset needs: the published entry and its version history. */
export interface DcatDatasetInput {
  id: string;
  code: string;
  content: EntryContent;
  provider: { id: string; name: string; code: string | null };
  /** First publication (dct:issued) and publication of the current version (dct:modified). */
  issued: string | null;
  modified: string | null;
  version: number | null;
  /** English title and description, when the catalog holds them. */
  titleEn?: string;
  descriptionEn?: string;
}

export function dcatIris(baseUrl: string) {
  const base = baseUrl.replace(/\/+$/, "");
  const catalog = `${base}/api/open/dcat/catalog`;
  const enc = encodeURIComponent;
  return {
    base,
    catalog,
    dataset: (id: string) => `${base}/api/open/dcat/datasets/${enc(id)}`,
    download: (id: string, format: string) => `${base}/api/open/datasets/${enc(id)}/download?format=${format}`,
    sample: (id: string) => `${base}/api/open/datasets/${enc(id)}/sample`,
    org: (orgId: string) => `${catalog}#org-${enc(orgId)}`,
    themeScheme: `${catalog}#themes`,
    theme: (t: string) => `${catalog}#theme-${enc(t)}`,
    category: (c: string) => `${catalog}#category-${enc(c)}`,
    domainScheme: `${catalog}#domains`,
    domain: (d: string) => `${catalog}#domain-${enc(d)}`,
  };
}
export type DcatIris = ReturnType<typeof dcatIris>;

const EU_THEME_SCHEME = "http://publications.europa.eu/resource/authority/data-theme";

function addEuTheme(g: Graph, code: EuTheme): string {
  const id = `${NS.eutheme}${code}`;
  if (!g.has(id)) {
    g.type(id, `${skos}Concept`).add(id, `${skos}prefLabel`, [en(EU_THEMES[code][0]), zh(EU_THEMES[code][1])]).add(id, `${skos}inScheme`, iri(EU_THEME_SCHEME));
    g.type(EU_THEME_SCHEME, `${skos}ConceptScheme`).add(EU_THEME_SCHEME, `${dct}title`, [en("Data theme"), zh("数据主题（欧盟出版署规范表）")]);
  }
  return id;
}

function addOwnTheme(g: Graph, I: DcatIris, theme: string, category: string): string {
  const id = I.theme(theme);
  const cat = I.category(category);
  const [catZh, catEn] = CATEGORY_LABELS[category] ?? [category, category];
  g.type(I.themeScheme, `${skos}ConceptScheme`).add(I.themeScheme, `${dct}title`, [zh("政务信息资源分类"), en("Government information resource classification")]);
  g.type(cat, `${skos}Concept`).add(cat, `${skos}prefLabel`, [zh(catZh), en(catEn)]).add(cat, `${skos}inScheme`, iri(I.themeScheme)).add(cat, `${skos}topConceptOf`, iri(I.themeScheme));
  g.type(id, `${skos}Concept`).add(id, `${skos}prefLabel`, text(theme)).add(id, `${skos}inScheme`, iri(I.themeScheme)).add(id, `${skos}broader`, iri(cat));
  return id;
}

function addDomain(g: Graph, I: DcatIris, domain: string): string {
  const id = I.domain(domain);
  g.type(I.domainScheme, `${skos}ConceptScheme`).add(I.domainScheme, `${dct}title`, [zh("“数据要素×”行动领域"), en("Data Elements × action domains")]);
  g.type(id, `${skos}Concept`).add(id, `${skos}prefLabel`, text(domain)).add(id, `${skos}inScheme`, iri(I.domainScheme));
  return id;
}

function addAgent(g: Graph, I: DcatIris, org: { id: string; name: string; code: string | null }): string {
  const id = I.org(org.id);
  g.type(id, `${foaf}Agent`, `${foaf}Organization`).add(id, `${foaf}name`, text(org.name));
  // 统一社会信用代码
  if (org.code) g.add(id, `${dct}identifier`, plain(org.code));
  return id;
}

/** A phone number as a tel: URI (RFC 3966); numbers without a country code are local to +86. */
export function telUri(phone: string): string {
  const p = phone.replace(/[\s()]/g, "");
  return p.startsWith("+") ? `tel:${p}` : `tel:${p};phone-context=+86`;
}

function describeItems(c: EntryContent): string {
  return c.items
    .map((it) => {
      const bits: string[] = [it.type];
      if (it.length) bits.push(`长度 ${it.length}`);
      if (it.required) bits.push("必填");
      if (it.key) bits.push("主键");
      return `${it.name}（${bits.join("，")}）${it.description ? `：${it.description}` : ""}`;
    })
    .join("；");
}

/** Add one dataset and every node it links to. Returns the dataset IRI. */
export function addDataset(g: Graph, d: DcatDatasetInput, opts: DcatOptions): string {
  const I = dcatIris(opts.baseUrl);
  const c = d.content;
  const ds = I.dataset(d.id);
  const conditional = c.openType === "有条件开放";

  g.type(ds, `${dcat}Dataset`)
    .add(ds, `${dct}identifier`, plain(d.code))
    .add(ds, `${dct}title`, [zh(c.name), d.titleEn ? en(d.titleEn) : null].filter((x): x is Obj => !!x))
    .add(ds, `${dct}description`, [zh(c.summary), d.descriptionEn ? en(d.descriptionEn) : null].filter((x): x is Obj => !!x))
    .add(ds, `${dcat}keyword`, c.keywords.map(zh));

  // Themes: our classification, the 数据要素× domains, and the EU data themes they map to.
  const eu = new Set<EuTheme>([...(THEME_TO_EU[c.theme] ?? []), ...c.domains.flatMap((x) => THEME_TO_EU[x] ?? [])]);
  if (!eu.size) eu.add("GOVE");
  g.add(ds, `${dcat}theme`, [iri(addOwnTheme(g, I, c.theme, c.category)), ...c.domains.map((x) => iri(addDomain(g, I, x))), ...[...eu].map((x) => iri(addEuTheme(g, x)))]);

  g.add(ds, `${dct}publisher`, iri(addAgent(g, I, d.provider)));

  const contact = `${ds}#contact`;
  g.type(contact, `${vcard}Kind`, `${vcard}Individual`)
    .add(contact, `${vcard}fn`, text(c.contact.name))
    .add(contact, `${vcard}organization-name`, text(d.provider.name))
    .add(contact, `${vcard}hasTelephone`, iri(telUri(c.contact.phone)))
    .add(contact, `${vcard}hasEmail`, c.contact.email ? iri(`mailto:${c.contact.email}`) : null);
  g.add(ds, `${dcat}contactPoint`, iri(contact));

  const freq = `${NS.eufreq}${FREQUENCY[c.updateCycle]}`;
  g.type(freq, `${dct}Frequency`);
  g.add(ds, `${dct}accrualPeriodicity`, iri(freq));
  if (d.issued) g.add(ds, `${dct}issued`, dateTime(d.issued));
  if (d.modified) g.add(ds, `${dct}modified`, dateTime(d.modified));
  if (d.version != null) g.add(ds, `${dcat}version`, plain(String(d.version)));

  const zho = `${NS.eulang}ZHO`;
  g.type(zho, `${dct}LinguisticSystem`);
  g.add(ds, `${dct}language`, iri(zho));

  const access = `${NS.euaccess}${ACCESS_RIGHT[c.openType]}`;
  g.type(access, `${dct}RightsStatement`);
  g.add(ds, `${dct}accessRights`, iri(access));

  const landing = `${I.base}${opts.landingPath ? opts.landingPath(d.id) : `/open/datasets/${encodeURIComponent(d.id)}`}`;
  g.type(landing, `${foaf}Document`);
  g.add(ds, `${dcat}landingPage`, iri(landing));

  // 来源信息系统 as the provenance statement.
  const prov = `${ds}#provenance`;
  g.type(prov, `${dct}ProvenanceStatement`).add(prov, `${rdfs}label`, zh(`数据来源于${d.provider.name}的${c.sourceSystem.name}`));
  g.add(ds, `${dct}provenance`, iri(prov));

  // 信息项: a CSVW schema the distributions conform to, plus a readable description of it.
  if (c.items.length) {
    const schema = `${ds}#schema`;
    g.type(schema, `${dct}Standard`, `${csvw}Schema`)
      .add(schema, `${dct}title`, zh(`「${c.name}」信息项`))
      .add(schema, `${dct}description`, zh(describeItems(c)));
    const cols = c.items.map((it, i) => {
      const col = `${ds}#item-${i + 1}`;
      g.type(col, `${csvw}Column`)
        .add(col, `${csvw}title`, [zh(it.name), it.nameEn && !HAN.test(it.nameEn) ? en(it.nameEn) : null].filter((x): x is Obj => !!x))
        .add(col, `${csvw}name`, it.nameEn && /^[A-Za-z_][A-Za-z0-9_]*$/.test(it.nameEn) ? plain(it.nameEn) : null)
        .add(col, `${csvw}datatype`, iri(`${xsd}${ITEM_DATATYPE[it.type]}`))
        .add(col, `${csvw}required`, { value: String(it.required), datatype: `${xsd}boolean` })
        .add(col, `${dct}description`, it.description ? text(it.description) : null);
      return iri(col);
    });
    g.add(schema, `${csvw}column`, { list: cols });
    g.add(ds, `${dct}conformsTo`, iri(schema));
  }

  // One distribution per download format of the open portal.
  let rights: string | undefined;
  if (conditional) {
    rights = `${ds}#conditions`;
    g.type(rights, `${dct}RightsStatement`).add(rights, `${rdfs}label`, zh(`有条件开放：${c.openConditions ?? "须经申请审核同意后获取"}`));
  }
  if (opts.licenseUrl) g.type(opts.licenseUrl, `${dct}LicenseDocument`);
  for (const f of DOWNLOAD_FORMATS) {
    const dist = `${ds}#distribution-${f.format}`;
    const fileType = `${NS.eufile}${f.fileType}`;
    const media = `https://www.iana.org/assignments/media-types/${f.mediaType}`;
    g.type(fileType, `${dct}MediaTypeOrExtent`);
    g.type(media, `${dct}MediaType`);
    g.type(dist, `${dcat}Distribution`)
      .add(dist, `${dct}title`, zh(`${c.name}（${f.label}）`))
      .add(dist, `${dcat}accessURL`, iri(I.download(d.id, f.format)))
      // Only unconditionally open data downloads without an application.
      .add(dist, `${dcat}downloadURL`, conditional ? null : iri(I.download(d.id, f.format)))
      .add(dist, `${dct}format`, iri(fileType))
      .add(dist, `${dcat}mediaType`, iri(media))
      .add(dist, `${dct}rights`, rights ? iri(rights) : null)
      .add(dist, `${dct}license`, opts.licenseUrl ? iri(opts.licenseUrl) : null);
    g.add(ds, `${dcat}distribution`, iri(dist));
  }

  // 样例数据: public for both open types (the first rows, masked by grade, as JSON).
  const sample = `${ds}#sample`;
  g.type(sample, `${dcat}Distribution`)
    .add(sample, `${dct}title`, zh(`「${c.name}」样例数据`))
    .add(sample, `${dcat}accessURL`, iri(I.sample(d.id)))
    .add(sample, `${dcat}downloadURL`, iri(I.sample(d.id)))
    .add(sample, `${dct}format`, iri(`${NS.eufile}JSON`))
    .add(sample, `${dcat}mediaType`, iri("https://www.iana.org/assignments/media-types/application/json"));
  g.add(ds, `${adms}sample`, iri(sample));
  return ds;
}

export interface CatalogPage {
  page: number;
  pageSize: number;
  total: number;
}

/** The catalog node, its publisher and datasets; a hydra view when the catalog spans several pages. */
export function catalogGraph(input: { datasets: DcatDatasetInput[]; publisher: { id: string; name: string; code: string | null }; page: CatalogPage }, opts: DcatOptions): Graph {
  const g = new Graph();
  const I = dcatIris(opts.baseUrl);
  const cat = I.catalog;
  const title = opts.catalogTitle ?? { zh: "公共数据开放目录", en: "Open public data catalog" };
  const description = opts.catalogDescription ?? {
    zh: "本平台向社会开放的公共数据资源目录（无条件开放和有条件开放），按 DCAT-AP 3.0.1 描述。",
    en: "The public data resources this platform opens to the public (unconditionally or on conditions), described with DCAT-AP 3.0.1.",
  };
  g.type(cat, `${dcat}Catalog`)
    .add(cat, `${dct}title`, [zh(title.zh), en(title.en)])
    .add(cat, `${dct}description`, [zh(description.zh), en(description.en)])
    .add(cat, `${dct}publisher`, iri(addAgent(g, I, input.publisher)));
  for (const code of ["ZHO", "ENG"]) {
    g.type(`${NS.eulang}${code}`, `${dct}LinguisticSystem`);
    g.add(cat, `${dct}language`, iri(`${NS.eulang}${code}`));
  }
  const home = `${I.base}/`;
  g.type(home, `${foaf}Document`);
  g.add(cat, `${foaf}homepage`, iri(home));
  if (opts.licenseUrl) g.type(opts.licenseUrl, `${dct}LicenseDocument`).add(cat, `${dct}license`, iri(opts.licenseUrl));
  for (const d of input.datasets) g.add(cat, `${dcat}dataset`, iri(addDataset(g, d, opts)));
  for (const scheme of [I.themeScheme, I.domainScheme, EU_THEME_SCHEME]) if (g.has(scheme)) g.add(cat, `${dcat}themeTaxonomy`, iri(scheme));

  const { page, pageSize, total } = input.page;
  const last = Math.max(1, Math.ceil(total / pageSize));
  if (page > 1 || total > pageSize) {
    const url = (p: number) => `${cat}?page=${p}&pageSize=${pageSize}`;
    const view = url(page);
    g.type(view, `${hydra}PartialCollectionView`)
      .add(view, `${hydra}totalItems`, integer(total))
      .add(view, `${hydra}itemsPerPage`, integer(pageSize))
      .add(view, `${hydra}first`, iri(url(1)))
      .add(view, `${hydra}last`, iri(url(last)))
      .add(view, `${hydra}next`, page < last ? iri(url(page + 1)) : null)
      .add(view, `${hydra}previous`, page > 1 ? iri(url(Math.min(page - 1, last))) : null);
    g.add(cat, `${hydra}view`, iri(view));
  }
  return g;
}

/** A dataset document: the dataset and the nodes it links to. */
export function datasetGraph(d: DcatDatasetInput, opts: DcatOptions): Graph {
  const g = new Graph();
  addDataset(g, d, opts);
  return g;
}

// ---------------------------------------------------------------- loading from the catalog

interface OrgLike {
  id: string;
  name: string;
  code: string | null;
  kind?: string;
  parentId?: string | null;
}

export interface DcatDeps {
  catalog: Pick<CatalogService, "get" | "versions" | "visibleContents">;
  search: Pick<CatalogSearch, "search" | "stats">;
  orgs: { orgMap(): Promise<Map<string, OrgLike>> };
}

export const MAX_PAGE_SIZE = 500;
const SEARCH_PAGE = 100;

const notFound = () => new NotFoundError({ message: "开放数据集不存在", messageEn: "Open dataset not found", field: "id" });

/**
 * Reads the open catalog as the public sees it (the anonymous actor: published content only) and
 * builds DCAT graphs. Paging orders 无条件开放 entries first, then 有条件开放, each by publication time.
 */
export function createDcatExport(deps: DcatDeps, opts: DcatOptions) {
  const { catalog, search, orgs } = deps;

  /** Publication dates and the current version number from the public version history. */
  async function history(id: string) {
    const versions = (await catalog.versions(ANONYMOUS, id)).filter((v) => v.publishedAt);
    const current = versions.find((v) => v.status === "published");
    const issued = versions.map((v) => v.publishedAt!).sort()[0] ?? null;
    return { issued, modified: current?.publishedAt ?? null, version: current?.version ?? null };
  }

  /** Published entries of one open type, positions [from, to) in publication order. */
  async function range(openType: OpenType, from: number, to: number): Promise<EntrySummaryView[]> {
    const out: EntrySummaryView[] = [];
    for (let page = Math.floor(from / SEARCH_PAGE) + 1; (page - 1) * SEARCH_PAGE < to; page++) {
      const r = await search.search(ANONYMOUS, SearchQuery.parse({ openType, status: "published", sort: "published_asc", page, pageSize: SEARCH_PAGE, facets: "false" }));
      const start = (page - 1) * SEARCH_PAGE;
      out.push(...r.items.filter((_, i) => start + i >= from && start + i < to));
      if (r.items.length < SEARCH_PAGE) break;
    }
    return out;
  }

  async function platformPublisher(orgMap: Map<string, OrgLike>): Promise<OrgLike> {
    const all = [...orgMap.values()];
    return all.find((o) => o.kind === "city" && !o.parentId) ?? all.find((o) => !o.parentId) ?? { id: "platform", name: "公共数据开放平台", code: null };
  }

  async function inputs(items: { id: string; code: string; providerId: string; providerName: string }[], contents: Map<string, EntryContent>, orgMap: Map<string, OrgLike>) {
    const out: DcatDatasetInput[] = [];
    // Version histories a few at a time: one small query each.
    for (let i = 0; i < items.length; i += 8) {
      const chunk = items.slice(i, i + 8);
      const hist = await Promise.all(chunk.map((e) => history(e.id)));
      chunk.forEach((e, j) => {
        const content = contents.get(e.id);
        if (!content || !isExported(content.openType)) return;
        const org = orgMap.get(e.providerId);
        out.push({ id: e.id, code: e.code, content, provider: { id: e.providerId, name: org?.name ?? e.providerName, code: org?.code ?? null }, ...hist[j] });
      });
    }
    return out;
  }

  return {
    async catalog(q: { page: number; pageSize: number }): Promise<Graph> {
      const pageSize = Math.min(Math.max(1, q.pageSize), MAX_PAGE_SIZE);
      const stats = await search.stats();
      const byType = stats.byOpenType as Record<string, number>;
      const [n1, n2] = OPEN_FOR_EXPORT.map((t) => Number(byType[t] ?? 0));
      const from = (q.page - 1) * pageSize;
      const to = Math.min(from + pageSize, n1 + n2);
      const summaries = to > from
        ? [...(await range(OPEN_FOR_EXPORT[0], from, Math.min(to, n1))), ...(await range(OPEN_FOR_EXPORT[1], Math.max(from - n1, 0), to - n1))]
        : [];
      const [contents, orgMap] = await Promise.all([catalog.visibleContents(ANONYMOUS, summaries.map((s) => s.id)), orgs.orgMap()]);
      const datasets = await inputs(summaries.map((s) => ({ id: s.id, code: s.code, providerId: s.provider.id, providerName: s.provider.name })), contents, orgMap);
      return catalogGraph({ datasets, publisher: await platformPublisher(orgMap), page: { page: q.page, pageSize, total: n1 + n2 } }, opts);
    },

    async dataset(id: string): Promise<Graph> {
      let entry;
      try {
        entry = (await catalog.get(ANONYMOUS, id)).entry;
      } catch (err) {
        if (err instanceof NotFoundError) throw notFound();
        throw err;
      }
      if (entry.status !== "published" || !isExported(entry.content.openType)) throw notFound();
      const [d] = await inputs([{ id: entry.id, code: entry.code, providerId: entry.provider.id, providerName: entry.provider.name }], new Map([[entry.id, entry.content]]), new Map([[entry.provider.id, entry.provider]]));
      return datasetGraph(d, opts);
    },
  };
}

export type DcatExport = ReturnType<typeof createDcatExport>;
