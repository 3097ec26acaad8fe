// GitHub-flavoured markdown, the one helper every markdown output uses. Names from users'
// files are data: they are escaped so that no tag, link, code span or table cell can break out.
import { oneLine } from './text';

/** A table row; its cells are markdown already (escape users' text with markdownText or markdownCode). */
export const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

/** The delimiter row: `text` left-aligned columns, then `numbers` right-aligned ones. */
export const alignRow = (text: number, numbers: number): string => row([...Array<string>(text).fill('---'), ...Array<string>(numbers).fill('---:')]);

const MARKDOWN_SPECIAL = /[\\`*_[\]|<>&~]/g;
const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

/**
 * A name as literal markdown text, safe inside a table cell: markdown syntax escaped with a
 * backslash, HTML characters as entities (so no tag or link can form), newlines as spaces.
 */
export function markdownText(text: string): string {
  return oneLine(text).replace(MARKDOWN_SPECIAL, (c) => ENTITIES[c] ?? `\\${c}`);
}

/** A name as an inline code span that no backtick inside can close (CommonMark: a longer fence). */
export function markdownCode(text: string): string {
  const clean = oneLine(text).replaceAll('|', '\\|');
  if (clean === '') return '';
  const longestRun = (clean.match(/`+/g) ?? []).reduce((longest, run) => Math.max(longest, run.length), 0);
  const fence = '`'.repeat(longestRun + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

const HTML_SPECIAL: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;', '[': '&#91;', ']': '&#93;' };

/**
 * A name as text inside an HTML element of the markdown (a `<summary>`), where markdown is not
 * parsed: every HTML character as an entity, and brackets too (no renderer can make a link of
 * them), newlines as spaces.
 */
export function htmlText(text: string): string {
  return oneLine(text).replace(/[<>&"'[\]]/g, (c) => HTML_SPECIAL[c] ?? c);
}
