// `seprof paper` rendered: the SENet paper's figures beside seprof's counts, as a table,
// markdown or JSON.
import { decimal, jsonCount, withCommas } from '../format';
import { alignRow, row } from '../markdown-syntax';
import { numbersAfter, textTable } from '../text-table';
import { SCHEMA_VERSION } from '../profile/json';
import { percentOf } from '../profile/overhead';
import { GIGA, labelOf, MEGA, NOT_SET, reproducesFlops, reproduction, rounded, type FlopsRow, type ParamsRow, type SeShareRow } from '../../paper';

/** What torchvision users get from the public counters, beside the paper's own accounting. */
const COMPARED = ['macs v1', 'macs v1.5', 'thop v1.5', 'fvcore v1.5'];

function countFor(row: FlopsRow, key: string): bigint {
  // Networks without a layout (BN-Inception) are the same under either.
  return row.counts[key] ?? row.counts[`${key.split(' ')[0]} -`] ?? 0n;
}

export interface PaperReport {
  best: { key: string; reproduced: number };
  flops: FlopsRow[];
  params: ParamsRow[];
  seShares: SeShareRow[];
}

function tables(report: PaperReport) {
  const keys = [report.best.key, ...COMPARED.filter((k) => k !== report.best.key)];
  const flops = {
    head: ['Model (r = 16)', 'Source', 'Paper GFLOPs', ...keys.map((k) => `${k}${k === report.best.key ? ' (best)' : ''}`)],
    rows: report.flops.map((r) => [
      labelOf(r),
      r.source,
      r.gflops,
      ...keys.map((k) => `${rounded(countFor(r, k), GIGA, 3)}${reproducesFlops(r, k) ? ' =' : ''}`),
    ]),
  };
  const params = {
    head: ['Figure', 'Source', 'Paper', 'seprof', 'seprof (M)', 'Difference'],
    rows: [
      ...report.params.map((p) => {
        const paper = BigInt(Math.round(Number(p.millions) * 10)) * (MEGA / 10n);
        const same = rounded(p.params, MEGA, 1) === p.millions;
        return [
          labelOf(p, p.reduction),
          p.source,
          `${p.millions}M`,
          withCommas(p.params),
          `${rounded(p.params, MEGA, 1)}M${same ? ' =' : ''}`,
          `${decimal(p.params - paper, MEGA, 2)}M`,
        ];
      }),
      ...report.seShares.map((share) => {
        const paper = [...(share.millions === undefined ? [] : [`~${share.millions}M`]), `~${share.percent}%`].join(', ');
        const millions = rounded(share.added, MEGA, 1);
        const same = (share.millions === undefined || millions === share.millions) && rounded(share.added * 100n, share.plain, 0) === share.percent;
        return [
          `SE adds: ${labelOf(share)}`,
          share.source,
          paper,
          withCommas(share.added),
          `${millions}M, ${percentOf(share.added, share.plain)}${same ? ' =' : ''}`,
          '',
        ];
      }),
    ],
  };
  return { flops, params };
}

function verdict(report: PaperReport): string {
  const ranking = reproduction(report.flops).slice(0, 3);
  return (
    `Convention ${report.best.key.replace(' ', ', layout ')} reproduces ${report.best.reproduced} of ${report.flops.length} ` +
    `published GFLOPs to the printed precision (= marks a match); next: ` +
    ranking
      .slice(1)
      .map((r) => `${r.key} ${r.reproduced}`)
      .join(', ')
  );
}

/** `width`: the terminal's, when stdout is one: a wider table is stacked to fit it. */
export function renderPaperText(report: PaperReport, markdown: boolean, width?: number): string {
  const { flops, params } = tables(report);
  const title = 'SENet (arXiv 1709.01507) complexity figures against seprof, 224x224, batch 1, analytic';
  if (!markdown) {
    return [
      title,
      '',
      textTable(flops.head, flops.rows, { rightAligned: numbersAfter(2), width }),
      verdict(report),
      '',
      textTable(params.head, params.rows, { rightAligned: numbersAfter(2), width }),
      NOT_SET,
      '',
    ].join('\n');
  }
  return [
    `### ${title}`,
    '',
    row(flops.head),
    alignRow(2, flops.head.length - 2),
    ...flops.rows.map(row),
    '',
    verdict(report),
    '',
    row(params.head),
    alignRow(2, params.head.length - 2),
    ...params.rows.map(row),
    '',
    NOT_SET,
    '',
  ].join('\n');
}

export function renderPaperJson(report: PaperReport, toolVersion: string): string {
  const counts = (c: Record<string, bigint>) => Object.fromEntries(Object.entries(c).map(([k, n]) => [k, jsonCount(n)]));
  return `${JSON.stringify(
    {
      schemaVersion: SCHEMA_VERSION,
      tool: { name: 'seprof', version: toolVersion },
      best: { ...report.best, of: report.flops.length },
      flops: report.flops.map((r) => ({ model: r.model, label: labelOf(r), paperGflops: Number(r.gflops), source: r.source, counts: counts(r.counts) })),
      params: report.params.map((p) => ({
        model: p.model,
        label: labelOf(p, p.reduction),
        reduction: p.reduction ?? null,
        paperMillions: Number(p.millions),
        source: p.source,
        params: jsonCount(p.params),
      })),
      // Sec. 4's whole-network share, first by construction, as schema 1 has always carried it.
      seAdded: { paperMillions: Number(report.seShares[0]?.millions ?? 0), params: jsonCount(report.seShares[0]?.added ?? 0n) },
      seShares: report.seShares.map((share) => ({
        model: share.model,
        label: labelOf(share),
        paperMillions: share.millions === undefined ? null : Number(share.millions),
        paperPercent: Number(share.percent),
        source: share.source,
        added: jsonCount(share.added),
        plain: jsonCount(share.plain),
      })),
    },
    null,
    2,
  )}\n`;
}
