/**
 * Chinese full-text tokens without a dictionary: every character (unigram) and every pair of
 * adjacent characters (bigram) of the lower-cased text, so a query of 1, 2 or more characters
 * is a GIN containment lookup (`search_tokens @> ...`) followed by a LIKE recheck for contiguity.
 * Word segmenters (jieba) miss matches across word boundaries; n-grams never do.
 */
const SEP = /[\s,，。；;：:、（）()《》【】\[\]"'“”‘’!！?？/\\|·\-—_]+/u;

export function normalizeText(s: string): string {
  return s.normalize("NFKC").toLowerCase();
}

/** Unigrams and bigrams of each run of non-separator characters, de-duplicated. */
export function searchTokens(text: string, limit = 2000): string[] {
  const out = new Set<string>();
  for (const run of normalizeText(text).split(SEP)) {
    const cs = Array.from(run);
    for (let i = 0; i < cs.length; i++) {
      out.add(cs[i]);
      if (i + 1 < cs.length) out.add(cs[i] + cs[i + 1]);
      if (out.size >= limit) return [...out];
    }
  }
  return [...out];
}

/** The tokens a query term must contain: its bigrams (or the single character). */
export function queryTokens(term: string): string[] {
  const cs = Array.from(normalizeText(term));
  if (cs.length === 1) return cs;
  const out = new Set<string>();
  for (let i = 0; i + 1 < cs.length; i++) out.add(cs[i] + cs[i + 1]);
  return [...out];
}

/** Split a query into terms (whitespace or punctuation separated). */
export function queryTerms(q: string): string[] {
  return normalizeText(q)
    .split(SEP)
    .map((t) => t.trim())
    .filter(Boolean)
    .slice(0, 8);
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The GIN-indexed search key: the text tokens plus the entry's status and facet values as tokens of
 * three or more characters ("g:核心"), which never collide with text tokens (one or two characters).
 * One containment lookup then intersects the posting lists of the query's characters with its facet
 * filters, so a common character filtered to a rare grade or provider does not read every entry that
 * holds the character. The expression must stay identical to the index's (migration 20261124_0300_catalog_search_key_gin).
 */
export const SEARCH_KEY_SQL =
  "(search_tokens || array['s:' || status, 'p:' || provider_org_id, 't:' || theme, 'h:' || share_type, 'o:' || open_type, 'g:' || grade, 'u:' || update_cycle])";

export type FacetTokenField = "status" | "provider" | "theme" | "shareType" | "openType" | "grade" | "updateCycle";
const FACET_TOKEN_PREFIX: Record<FacetTokenField, string> = { status: "s:", provider: "p:", theme: "t:", shareType: "h:", openType: "o:", grade: "g:", updateCycle: "u:" };

/** The search-key token for a facet value, e.g. facetToken("grade", "核心") = "g:核心". */
export function facetToken(field: FacetTokenField, value: string): string {
  return FACET_TOKEN_PREFIX[field] + value;
}
