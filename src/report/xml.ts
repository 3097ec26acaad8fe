// XML text and attribute escaping, shared by the SVG charts and junit.xml; and the junit.xml document.

/** Characters XML 1.0 forbids outright (most control characters): dropped, since no escape is allowed. */
const INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** What escapeXml would change; most text (numbers, op kinds) has none, and skips the passes. */
const SPECIAL = /[^\u0020-\u0021\u0023-\u0025\u0028-\u003b\u003d\u003f-\u0084\u0086-\u2027\u202a-\uD7FF\uE000-\uFFFD]/;

/** Line breaks and tabs as character references: the parsed text is the same, but no name starts a line of the file (a CI log prints it). */
const BREAKS: Record<string, string> = { '\n': '&#10;', '\r': '&#13;', '\t': '&#9;', '\u0085': '&#133;', '\u2028': '&#8232;', '\u2029': '&#8233;' };

export function escapeXml(text: string): string {
  if (!SPECIAL.test(text)) return text;
  return text
    .replace(INVALID, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replace(/[\n\r\t\u0085\u2028\u2029]/g, (c) => BREAKS[c] ?? '');
}

export type Attrs = Record<string, string | number | undefined>;

/** An element with escaped attributes; children are already markup. Undefined attributes are left out. */
export function element(name: string, attrs: Attrs, ...children: string[]): string {
  return elementOf(name, attrs, children);
}

/** As element, for many children: spreading 100,000 of them as arguments overflows the stack. */
export function elementOf(name: string, attrs: Attrs, children: readonly string[]): string {
  const attributes = Object.entries(attrs)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`)
    .join('');
  return children.length === 0 ? `<${name}${attributes}/>` : `<${name}${attributes}>${children.join('')}</${name}>`;
}

/** An element holding escaped text. */
export function textElement(name: string, attrs: Attrs, text: string): string {
  return element(name, attrs, escapeXml(text));
}

/** A junit.xml document around one test suite, its counts repeated on `testsuites` (report, compare --junit). */
export function junitDocument(counts: Attrs, suite: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element('testsuites', { name: 'seprof', ...counts }, `\n  ${suite}\n`)}\n`;
}
