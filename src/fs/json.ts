// JSON.parse with a one-line error: the file, the line and column, never the file's own text.

/** The line and column (1-based) of a character offset. */
function lineAndColumn(text: string, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    start = i + 1;
  }
  return `${line}:${offset - start + 1}`;
}

/** V8's message without the excerpt of the text it quotes (which may span lines or hold escapes). */
function reasonOf(message: string): { reason: string; offset: number | undefined } {
  const position = /^(.*) in JSON at position (\d+)/s.exec(message);
  if (position !== null) return { reason: position[1] ?? message, offset: Number(position[2]) };
  const token = /^Unexpected token '(.*?)', ".*" is not valid JSON$/s.exec(message);
  if (token !== null) return { reason: `unexpected character ${JSON.stringify(token[1])}`, offset: undefined };
  return { reason: message.split('\n')[0] ?? message, offset: message.startsWith('Unexpected end') ? Number.POSITIVE_INFINITY : undefined };
}

/** Thrown by parseJson: where and why, in one line. */
export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
}

/** Deeper than any suite or report; V8's JSON.parse (and any recursive reader) overflows the stack near 10,000. */
export const MAX_JSON_DEPTH = 100;

/** The offset where arrays and objects first nest deeper than `limit`, outside strings; a linear scan. */
function tooDeepAt(text: string, limit: number): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}

export function parseJson(text: string): unknown {
  const deep = tooDeepAt(text, MAX_JSON_DEPTH);
  if (deep !== undefined)
    throw new JsonSyntaxError(`nested deeper than ${MAX_JSON_DEPTH} levels at line ${lineAndColumn(text, deep)}: not a file seprof reads`);
  try {
    return JSON.parse(text);
  } catch (error) {
    const { reason, offset } = reasonOf((error as Error).message);
    const where = offset === undefined ? '' : ` at line ${lineAndColumn(text, Math.min(offset, text.length))}`;
    throw new JsonSyntaxError(`not valid JSON${where}: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`);
  }
}
