// XML well-formedness for the files seprof writes (SVG charts, junit.xml).
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** '' when the text is well-formed XML, else the parser's complaint. */
export function xmlProblem(text: string): string {
  const result = XMLValidator.validate(text);
  return result === true ? '' : `${result.err.code} at ${result.err.line}:${result.err.col}: ${result.err.msg}`;
}

export function parseXml(text: string): Record<string, any> {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    isArray: (name) => ['testcase', 'text', 'g', 'rect', 'circle', 'line'].includes(name),
  }).parse(text);
}
