/**
 * A few DOM helpers instead of a framework: the player has six screens and rebuilds a screen when
 * it opens. Text always goes in as text; HTML goes in only through `prose`, whose input is
 * Markdown rendered with raw HTML off (core/export/markdown.ts).
 */
type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** An element holding rendered Markdown (already safe: no raw HTML, only http/https/mailto links). */
export function prose<K extends keyof HTMLElementTagNameMap>(tag: K, html: string, attributes: Attributes = {}): HTMLElementTagNameMap[K] {
  const element = h(tag, attributes);
  element.innerHTML = html;
  return element;
}

/** Scripts written right to left, by their BCP 47 primary language subtag. */
const rightToLeft = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ks', 'ku', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);

/** `lang` and `dir` for content in a course's language. */
export function languageAttributes(language: string): { lang: string; dir: 'rtl' | 'ltr' } {
  const primary = language.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return { lang: language.trim() || 'und', dir: rightToLeft.has(primary) ? 'rtl' : 'ltr' };
}

export function formatPrice(priceCents: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(priceCents / 100);
  } catch {
    return `${(priceCents / 100).toFixed(2)} ${currency}`;
  }
}
