import type { Explanation } from '../../analyzers/explain';
import { renderExplainJson } from './json';
import { renderExplainMarkdown } from './markdown';
import { renderExplainTable } from './table';

/** `width`: stdout's, when it is a terminal, for the table to fit. */
export function renderExplanation(explanation: Explanation, format: 'table' | 'json' | 'markdown', toolVersion: string, width?: number): string {
  switch (format) {
    case 'table':
      return renderExplainTable(explanation, width);
    case 'json':
      return renderExplainJson(explanation, toolVersion);
    case 'markdown':
      return renderExplainMarkdown(explanation);
  }
}
