// A spec holds only what applies to it, and reports written when specs held more still compare equal.
import { describe, expect, it } from 'vitest';
import { runCases } from '../src/cli/run-cases';
import { compareReports, EXACT } from '../src/report/compare/compare';
import { readReport, renderReportJson, reportJson } from '../src/report/report/document';
import { buildSpec, plainTwin, upgradeSpecJson, type RawSpecOptions } from '../src/model/spec';

const keysOf = (raw: RawSpecOptions): string[] => Object.keys(buildSpec(raw)).sort();

describe('a spec holds only what applies to it', () => {
  it('SE settings only where there is SE, a layout only on ResNets, a position only on SE-ResNet blocks', () => {
    expect(keysOf({ model: 'resnet50' })).toEqual(['batch', 'block', 'input', 'layout', 'model']);
    expect(keysOf({ model: 'se-resnet50' })).toEqual(['batch', 'bias', 'block', 'input', 'layout', 'model', 'reduction']);
    expect(keysOf({ model: 'bn-inception' })).toEqual(['batch', 'block', 'input', 'model']);
    expect(keysOf({ model: 'se-bn-inception' })).toEqual(['batch', 'bias', 'block', 'input', 'model', 'reduction']);
    expect(keysOf({ block: 'resnet', channels: '64', planes: '16' })).toEqual(['batch', 'block', 'input', 'kind', 'planes', 'stride', 'strideOn']);
    expect(keysOf({ block: 'se-resnet', channels: '64', planes: '16' })).toEqual([
      'batch',
      'bias',
      'block',
      'input',
      'kind',
      'planes',
      'reduction',
      'sePosition',
      'stride',
      'strideOn',
    ]);
    expect(keysOf({ block: 'inception' })).toEqual(['batch', 'block', 'branch3', 'input', 'pool', 'widths']);
    expect(keysOf({ block: 'se-inception' })).toEqual(['batch', 'bias', 'block', 'branch3', 'input', 'pool', 'reduction', 'widths']);
  });

  it("makes SE's plain twin the very spec of the plain block or network", () => {
    const pairs: [RawSpecOptions, RawSpecOptions][] = [
      [
        { block: 'se-resnet', channels: '64', planes: '16', sePosition: 'pre', reduction: '8', bias: true },
        { block: 'resnet', channels: '64', planes: '16' },
      ],
      [{ block: 'se-inception', reduction: '4' }, { block: 'inception' }],
      [
        { model: 'se-resnet101', layout: 'v1', reduction: '8' },
        { model: 'resnet101', layout: 'v1' },
      ],
      [{ model: 'se-bn-inception', bias: true }, { model: 'bn-inception' }],
    ];
    for (const [withSe, plain] of pairs) expect(JSON.stringify(plainTwin(buildSpec(withSe)))).toBe(JSON.stringify(buildSpec(plain)));
  });
});

describe('reports whose specs carry fields that never applied', () => {
  it("read in today's form: an old baseline compares equal", async () => {
    const raws: RawSpecOptions[] = [
      { model: 'resnet50', height: '32', width: '32' },
      { model: 'bn-inception', height: '64', width: '64' },
      { model: 'se-bn-inception', height: '64', width: '64' },
      { block: 'resnet', channels: '16', planes: '4' },
      { block: 'inception', height: '7', width: '7' },
      { block: 'se-resnet', channels: '16', planes: '4', reduction: '4' },
    ];
    const results = await runCases(
      raws.map((raw, i) => ({ name: `case-${i}`, spec: buildSpec(raw) })),
      { measure: false, backend: 'auto' },
    );
    const now = renderReportJson(reportJson(results, { toolVersion: 'test', date: new Date(0), suite: null }));
    // What seprof wrote before: SE settings everywhere, a layout on every network, a position on plain ResNet blocks.
    const doc = JSON.parse(now) as { cases: { spec: Record<string, unknown> }[] };
    for (const { spec } of doc.cases) {
      if (spec['block'] === 'network') spec['layout'] ??= 'v1.5';
      if (spec['block'] === 'resnet') spec['sePosition'] = 'standard';
      spec['reduction'] ??= 16;
      spec['bias'] ??= false;
    }
    const old = JSON.stringify(doc);
    expect(old).not.toBe(now);
    const comparison = compareReports(readReport(old, 'old'), readReport(now, 'now'), { tolerance: EXACT });
    expect(comparison.failures).toEqual([]);
    expect(comparison.compared).toBe(raws.length);
  });

  it('keep what applies, so that a real change of spec still shows', () => {
    expect(upgradeSpecJson({ block: 'network', model: 'se-resnet50', layout: 'v1', reduction: 8, bias: true })).toEqual({
      block: 'network',
      model: 'se-resnet50',
      layout: 'v1',
      reduction: 8,
      bias: true,
    });
    expect(upgradeSpecJson({ block: 'network', model: 'bn-inception', layout: 'v1', reduction: 8 })).toEqual({ block: 'network', model: 'bn-inception' });
    expect(upgradeSpecJson({ block: 'se-resnet', sePosition: 'pre', reduction: 2 })).toEqual({ block: 'se-resnet', sePosition: 'pre', reduction: 2 });
    expect(upgradeSpecJson({ block: 'resnet', sePosition: 'pre', reduction: 2 })).toEqual({ block: 'resnet' });
  });
});
