import type { EntryContent, FieldChange } from "./schema.ts";

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function walk(path: string, a: unknown, b: unknown, out: FieldChange[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  if (a === undefined) return void out.push({ path, before: undefined, after: b, kind: "added" });
  if (b === undefined) return void out.push({ path, before: a, after: undefined, kind: "removed" });
  if (isObj(a) && isObj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) walk(path ? `${path}.${k}` : k, a[k], b[k], out);
    return;
  }
  out.push({ path, before: a, after: b, kind: "changed" });
}

/** Field-level differences between two versions; data items are matched by name. */
export function diffContent(a: EntryContent, b: EntryContent): FieldChange[] {
  const out: FieldChange[] = [];
  const { items: ia, ...ra } = a;
  const { items: ib, ...rb } = b;
  walk("", ra, rb, out);
  const ma = new Map(ia.map((x) => [x.name, x]));
  const mb = new Map(ib.map((x) => [x.name, x]));
  for (const [name, x] of ma) {
    const y = mb.get(name);
    if (!y) out.push({ path: `items[${name}]`, before: x, after: undefined, kind: "removed" });
    else walk(`items[${name}]`, x, y, out);
  }
  for (const [name, y] of mb) if (!ma.has(name)) out.push({ path: `items[${name}]`, before: undefined, after: y, kind: "added" });
  const orderA = ia.map((x) => x.name).filter((n) => mb.has(n));
  const orderB = ib.map((x) => x.name).filter((n) => ma.has(n));
  if (JSON.stringify(orderA) !== JSON.stringify(orderB)) out.push({ path: "items.order", before: orderA, after: orderB, kind: "changed" });
  return out;
}
