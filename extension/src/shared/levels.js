// The level a page shows: the worse of the platform's and the seller's known levels. One rule for
// the toolbar mark (the worker) and the popup; the in-page badge (a classic content script, which
// cannot import) keeps the same rule in badge.js's badgeLevel.

export const LEVEL_ORDER = Object.freeze({unknown: 0, low: 1, medium: 2, high: 3});

/** The worse of ``risk.platform``'s and ``risk.seller``'s levels ("unknown" when neither is known). */
export function levelOf(risk) {
  let level = "unknown";
  for (const subject of risk ? [risk.platform, risk.seller] : []) {
    const value = subject && subject.level;
    if (Object.prototype.hasOwnProperty.call(LEVEL_ORDER, value) && LEVEL_ORDER[value] > LEVEL_ORDER[level]) level = value;
  }
  return level;
}
