// Text from users' files (case names, specs, a model's node and producer names) is data: it
// must not steer the terminal, nor start a line of its own in a CI log, where a line such as
// `::error::` or `::add-mask::` is a command to the runner.
import { stripVTControlCharacters } from 'node:util';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** Without ANSI/OSC escape sequences and other control characters (newline and tab kept). */
export function terminalSafe(text: string): string {
  // Every escape sequence starts with a control character (ESC or CSI): most text has none,
  // and a 150 MB document is not copied twice to learn that.
  if (!CONTROL.test(text)) return text;
  return stripVTControlCharacters(text).replace(new RegExp(CONTROL.source, 'g'), '');
}

/** Every character a terminal, log viewer or editor may break a line at (CR, LF, VT, FF, NEL, LS, PS). */
// eslint-disable-next-line no-control-regex
const LINE_BREAKS = /[\s\u0085\u2028\u2029]*[\r\n\u000b\u000c\u0085\u2028\u2029][\s\u0085\u2028\u2029]*/g;

/**
 * A name or message on one line, whatever it holds: line breaks (and the blanks around them)
 * become one space, tabs a space, escape sequences and control characters go. Every renderer
 * passes users' text through this before it reaches a terminal, a log or a line-based file.
 */
export function oneLine(text: string): string {
  return terminalSafe(text.replace(LINE_BREAKS, ' ')).replaceAll('\t', ' ');
}

/** `text` cut to `max` characters, the cut said: a hand-edited file cannot make one cell megabytes wide. */
export function abbreviated(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = `… (${text.length.toLocaleString('en-US')} characters)`;
  return `${text.slice(0, Math.max(0, max - note.length))}${note}`;
}

/**
 * A JSON document, two-space indented, with U+2028 and U+2029 escaped: JSON.stringify leaves
 * them raw inside strings, and an editor or log viewer breaks the line there.
 */
export function jsonText(value: unknown): string {
  const json = JSON.stringify(value, null, 2);
  return `${/[\u2028\u2029]/.test(json) ? json.replace(/[\u2028\u2029]/g, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029')) : json}\n`;
}
