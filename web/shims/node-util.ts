// node:util's stripVTControlCharacters for the browser build (src/report/text.ts uses it): the
// same pattern as Node 20's lib/internal/util/inspect.js (ansi-regex's).
const ANSI =
  /[\u001B\u009B][[\]()#;?]*(?:(?:(?:(?:;[-a-zA-Z\d/#&.:=?%@~_]+)*|[a-zA-Z\d]+(?:;[-a-zA-Z\d/#&.:=?%@~_]*)*)?(?:\u0007|\u001B\u005C|\u009C))|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PR-TZcf-ntqry=><~]))/g;

export function stripVTControlCharacters(text: string): string {
  return text.replace(ANSI, '');
}
