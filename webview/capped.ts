/**
 * Capping a token's text for the panel (pure: no DOM, so mocha tests it). A token of
 * thousands of characters would fill the whole view; chips, labels and table cells show
 * its start and "…", and the full text stays in the trace and in `title`s.
 */

/** How much of a token's text the panel shows in a chip, label or table cell. */
export const TOKEN_TEXT_MAX = 40;

/**
 * At most `max` UTF-16 units, then "…"; a surrogate pair is never split.
 * capped('x'.repeat(10_000)) → 40 × 'x' + '…'; capped('Ġquick') → 'Ġquick'.
 */
export function capped(s: string, max = TOKEN_TEXT_MAX): string {
  if (s.length <= max) return s;
  const cut = /[\ud800-\udbff]/.test(s[max - 1]) ? max - 1 : max;
  return `${s.slice(0, cut)}…`;
}
