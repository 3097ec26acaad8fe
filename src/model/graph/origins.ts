// Which PyTorch call made a node group: a module (`self.pool(x)`, an nn.Module whose forward hook
// thop and ptflops read) or a function called inside another module's forward (`F.avg_pool2d(x)`,
// which thop never sees and ptflops sees only when it patched that function). The graph holds the
// op either way; the exporter's scope names tell them apart: a module's own op sits in the scope
// of that module and nothing else does (`/model.3/pool/AveragePool`), a function's sits in the
// scope of the module whose forward called it, beside that module's submodules or siblings
// (`/model.3/AveragePool`, `/conv1/Relu` next to `/conv1/conv/Conv`, `/Relu` in the model's own
// forward). `--origin` says otherwise where the names mislead.
import { UsageError } from '../../errors';
import type { GraphNode } from './types';

/** A node group as far as its origin goes (fusions' GroupDraft, not imported: fusions reads the graph index, which reads this). */
interface GroupDraft {
  main: GraphNode;
  nodes: readonly GraphNode[];
}

/**
 * `module`: an nn.Module's forward; `function`: a torch.nn.functional call (`F.relu`,
 * `F.softmax`, `F.interpolate`), which ptflops patches for some functions; `method`: a tensor
 * method (`x.softmax(1)`, `x.relu()`), which no peer patches. The graph cannot tell the last two
 * apart: seprof infers `module` or `function`, and `method` only when `--origin` says so.
 */
export const ORIGINS = ['module', 'function', 'method'] as const;
export type Origin = (typeof ORIGINS)[number];

/**
 * How the origin was decided: the exporter's scope names, an `--origin` entry, no scope names to
 * read (assumed a module), or a YOLO export's DFL (its metadata names a stride; YOLOv9's and
 * Ultralytics' DFL calls `x.softmax(1)`, a tensor method).
 */
export type OriginEvidence = 'scope' | 'option' | 'no scope' | 'yolo dfl';

export interface Called {
  origin: Origin;
  by: OriginEvidence;
}

/** One `--origin PATTERN=ORIGIN` entry: a layer or node name, `*` matching any characters. */
export interface OriginRule {
  pattern: string;
  origin: Origin;
}

/** `--origin` entries as given (`model.22.dfl.softmax=method`, `*.averagepool=module`): a malformed one is a usage error. */
export function parseOriginRules(entries: readonly string[]): OriginRule[] {
  return entries.map((entry) => {
    const at = entry.lastIndexOf('=');
    const [pattern, origin] = [entry.slice(0, at).trim(), entry.slice(at + 1).trim()];
    if (at < 0 || pattern === '')
      throw new UsageError(`--origin '${entry}': expected LAYER=ORIGIN, e.g. model.3.averagepool=module (ORIGIN: ${ORIGINS.join(', ')})`);
    if (!(ORIGINS as readonly string[]).includes(origin)) throw new UsageError(`--origin '${entry}': '${origin}' is not one of ${ORIGINS.join(', ')}`);
    return { pattern, origin: origin as Origin };
  });
}

const globOf = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

/** The scope of a node name (`/model.3/cv1/conv/Conv` is `model.3/cv1/conv`), undefined for a name without scopes. */
function scopeOf(node: GraphNode): string | undefined {
  if (!node.name.startsWith('/')) return undefined;
  return node.name.split('/').slice(1, -1).join('/');
}

/** Whether the graph's node names carry the exporter's module scopes at all. */
export function hasScopeNames(nodes: readonly GraphNode[]): boolean {
  return nodes.some((node) => scopeOf(node) !== undefined);
}

/** The names an `--origin` pattern is tried on: the layer's, and each of its nodes'. */
const namesOf = (group: GroupDraft, layer: string): string[] => [layer, ...group.nodes.map((n) => n.name)];

/** Whether a rule names a group (its layer name or one of its nodes). */
export function ruleMatches(rule: OriginRule, group: GroupDraft, layer: string): boolean {
  const re = globOf(rule.pattern);
  return namesOf(group, layer).some((name) => re.test(name));
}

/** The first `--origin` rule that names no group: a typo would change nothing, silently. */
export function unmatchedRule(overrides: readonly OriginRule[], groups: readonly (GroupDraft & { name: string })[]): OriginRule | undefined {
  return overrides.find((rule) => !groups.some((g) => ruleMatches(rule, g, g.name)));
}

/**
 * Each group's origin, by the scope rule above: a group is a module's op when its scope has no
 * child scope (a leaf module) and holds no other computing group; the last matching `--origin`
 * rule wins over it.
 */
export function groupOrigins(
  allNodes: readonly GraphNode[],
  groups: readonly GroupDraft[],
  names: ReadonlyMap<GraphNode, string>,
  overrides: readonly OriginRule[] = [],
  yolo = false,
): Map<GroupDraft, Called> {
  const parents = new Set<string>();
  for (const node of allNodes) {
    const scope = scopeOf(node);
    if (scope === undefined) continue;
    const segments = scope === '' ? [] : scope.split('/');
    for (let i = 0; i < segments.length; i++) parents.add(segments.slice(0, i).join('/'));
  }
  const perScope = new Map<string, number>();
  for (const g of groups) {
    const scope = scopeOf(g.main);
    if (scope !== undefined) perScope.set(scope, (perScope.get(scope) ?? 0) + 1);
  }
  const called = new Map<GroupDraft, Called>();
  for (const g of groups) {
    const scope = scopeOf(g.main);
    const dfl = yolo && g.main.opType === 'Softmax' && /^dfl\d*$/.test(scope?.split('/').at(-1) ?? '');
    const inferred: Called = dfl
      ? { origin: 'method', by: 'yolo dfl' }
      : scope === undefined
        ? { origin: 'module', by: 'no scope' }
        : { origin: !parents.has(scope) && perScope.get(scope) === 1 ? 'module' : 'function', by: 'scope' };
    const rule = overrides.findLast((r) => ruleMatches(r, g, names.get(g.main) ?? ''));
    called.set(g, rule === undefined ? inferred : { origin: rule.origin, by: 'option' });
  }
  return called;
}
