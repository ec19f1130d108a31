import { ANONYMOUS } from "../policy/index.ts";
import type { CatalogSearch, CatalogService, EntryContent, SearchQuery } from "../catalog/index.ts";
import type { OpeningStore } from "./store.ts";

/**
 * The open-catalog index: the published 无条件开放 and 有条件开放 entries as the open paths list them
 * (the CKAN API needs stable package names, tag filters and the list of all names, which the
 * catalog's search does not offer). It is fed only through the catalog's public reads — its
 * search sorted by update time, newest first, read back to the last entry already indexed — so an
 * entry that is withdrawn or turns 不予开放 leaves the index at the next refresh.
 */

/** CKAN package name of a resource code: `101001/000001` → `101001-000001` (URL-safe, unique, stable). */
export const ckanName = (code: string) => code.toLowerCase().replace(/[^a-z0-9_-]+/g, "-");

const OPEN = ["无条件开放", "有条件开放"] as const;
interface Hit {
  id: string;
  code: string;
  providerOrgId: string;
  updatedAt: string;
  publishedAt: string | null;
}
const PAGE = 100;

export function createOpenIndex(deps: { catalog: CatalogService; search: CatalogSearch; store: OpeningStore; minIntervalMs?: number }) {
  const { catalog, search, store } = deps;
  let last = 0;
  let running: Promise<void> | null = null;

  /** Every entry of a search (newest first) updated at or after `since`. */
  async function scan(q: Partial<SearchQuery>, since: number | null): Promise<Hit[]> {
    const out: Hit[] = [];
    for (let page = 1; page <= 10_000; page++) {
      const r = await search.search(ANONYMOUS, { sort: "updated_desc", page, pageSize: PAGE, facets: "false", ...q } as SearchQuery);
      let stop = r.items.length < PAGE;
      for (const it of r.items) {
        if (since != null && Date.parse(it.updatedAt) < since) {
          stop = true;
          break;
        }
        out.push({ id: it.id, code: it.code, providerOrgId: it.provider.id, updatedAt: it.updatedAt, publishedAt: it.publishedAt });
      }
      if (stop) break;
    }
    return out;
  }

  async function upsert(items: Hit[]) {
    for (let i = 0; i < items.length; i += PAGE) {
      const part = items.slice(i, i + PAGE);
      const contents = await catalog.visibleContents(ANONYMOUS, part.map((p) => p.id));
      const rows = [];
      const gone: string[] = [];
      for (const p of part) {
        const c = contents.get(p.id);
        if (!c || !OPEN.includes(c.openType as (typeof OPEN)[number])) {
          gone.push(p.id);
          continue;
        }
        rows.push(rowOf(p.id, p.code, p.providerOrgId, c, p.publishedAt, p.updatedAt));
      }
      await store.upsertEntries(rows);
      await store.deleteEntries(gone);
    }
  }

  async function refresh(): Promise<void> {
    const max = await store.maxUpdated();
    // One millisecond of overlap: catalog times have microseconds, the search answers milliseconds.
    const since = max ? new Date(max).getTime() - 1 : null;
    const open = [...(await scan({ status: "published", openType: "无条件开放" }, since)), ...(await scan({ status: "published", openType: "有条件开放" }, since))];
    await upsert(open);
    if (since != null) {
      // Entries that left the open catalog since the last refresh.
      const closed = [...(await scan({ status: "published", openType: "不予开放" }, since)), ...(await scan({ status: "withdrawn" }, since))];
      await store.deleteEntries(closed.map((c) => c.id));
    }
    last = Date.now();
  }

  return {
    /** Bring the index up to date (at most once per `minIntervalMs` unless forced; one refresh at a time). */
    async refresh(force = false): Promise<void> {
      if (running) return running;
      if (!force && Date.now() - last < (deps.minIntervalMs ?? 2000)) return;
      running = refresh().finally(() => {
        running = null;
      });
      return running;
    },
  };
}
export type OpenIndex = ReturnType<typeof createOpenIndex>;

function rowOf(entryId: string, code: string, providerOrgId: string, c: EntryContent, publishedAt: string | null, updatedAt: string) {
  const text = [c.name, c.summary, c.keywords.join(" "), c.theme, c.items.map((i) => i.name).join(" ")].join(" ").normalize("NFKC").toLowerCase();
  return {
    entry_id: entryId, code, name: ckanName(code), title: c.name, notes: c.summary, provider_org_id: providerOrgId, theme: c.theme, tags: c.keywords,
    formats: c.formats, open_type: c.openType, update_cycle: c.updateCycle, content: c, search_text: text,
    published_at: publishedAt ? new Date(publishedAt) : null, updated_at: new Date(updatedAt),
  };
}
