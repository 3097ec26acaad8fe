import type { Explanation } from '../../analyzers/explain';
import type { CountStyle } from '../format';
import { renderExplainJson } from './json';
import { renderExplainMarkdown } from './markdown';
import { renderExplainTable } from './table';

export interface ExplainRender {
  format: 'table' | 'json' | 'markdown';
  toolVersion: string;
  /** stdout's, when it is a terminal, for the table to fit. */
  width?: number | undefined;
  /** Table and markdown: the count columns in units (--units, --precision); JSON stays exact. */
  counts?: CountStyle | undefined;
}

export function renderExplanation(explanation: Explanation, { format, toolVersion, width, counts }: ExplainRender): string {
  switch (format) {
    case 'table':
      return renderExplainTable(explanation, width, counts);
    case 'json':
      return renderExplainJson(explanation, toolVersion);
    case 'markdown':
      return renderExplainMarkdown(explanation, counts);
  }
}
