import type { Explanation } from '../../analyzers/explain';
import { renderExplainJson } from './json';
import { renderExplainMarkdown } from './markdown';
import { renderExplainTable } from './table';

export function renderExplanation(explanation: Explanation, format: 'table' | 'json' | 'markdown', toolVersion: string): string {
  switch (format) {
    case 'table':
      return renderExplainTable(explanation);
    case 'json':
      return renderExplainJson(explanation, toolVersion);
    case 'markdown':
      return renderExplainMarkdown(explanation);
  }
}
