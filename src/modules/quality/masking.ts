import type { MaskerFor } from "./ports.ts";

/**
 * A conservative stand-in for protection.maskerFor while that module is not wired: every
 * sensitive item is masked (18-character IDs keep 6 + 4, 11-digit mobiles keep 3 + 4, others keep
 * the first character). Grade-driven rules live in the protection module.
 */
export const fallbackMaskerFor: MaskerFor = (_grade, _level, item) => {
  if (!item.sensitive) return null;
  return (v) => {
    if (v === null) return null;
    const s = String(v);
    if (s.length === 18) return `${s.slice(0, 6)}********${s.slice(14)}`;
    if (/^1\d{10}$/.test(s)) return `${s.slice(0, 3)}****${s.slice(7)}`;
    return s.length <= 1 ? "*" : `${s[0]}${"*".repeat(Math.min(s.length - 1, 8))}`;
  };
};
