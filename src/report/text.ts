// Text from users' files (case names, specs) is data: it must not steer the terminal.
import { stripVTControlCharacters } from 'node:util';

/** Without ANSI/OSC escape sequences and other control characters (newline and tab kept). */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return stripVTControlCharacters(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}
