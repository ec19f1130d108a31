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
