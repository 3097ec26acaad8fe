// Op names from node names: PyTorch's exporter writes module scopes (`/layer1/layer1.0/conv1/Conv`);
// seprof names ops by module path, PyTorch style (`layer1.0.conv1`).
import type { GraphNode } from './types';

/** The module path of a scoped node name; names without scopes are kept as they are. */
function scopePath(node: GraphNode): { path: string; op: string } {
  if (!node.name.startsWith('/')) return { path: node.name, op: '' };
  const segments = node.name.split('/').filter((s) => s !== '');
  const op = segments.pop() ?? node.opType;
  const path: string[] = [];
  let previous = '';
  for (const segment of segments) {
    // A container's child repeats the container's own segment: `layer1/layer1.0` is `layer1.0`,
    // `model.9/fc/fc.0` is `model.9.fc.0`, `conv/conv.0/conv.0.0` is `conv.0.0` (PyTorch's module paths).
    if (previous !== '' && segment.startsWith(`${previous}.`)) path.push(...segment.slice(previous.length + 1).split('.'));
    else path.push(segment);
    previous = segment;
  }
  return { path: path.join('.'), op: op.toLowerCase() };
}

/**
 * A unique op name per computing node: its module path when the module runs one op, else
 * the path and the op (`se.mul`, `add`) for functional ops beside submodules or siblings.
 */
export function opNames(nodes: readonly GraphNode[]): Map<GraphNode, string> {
  const scoped = nodes.map((node) => ({ node, ...scopePath(node) }));
  const perPath = new Map<string, number>();
  for (const s of scoped) perPath.set(s.path, (perPath.get(s.path) ?? 0) + 1);
  const parents = new Set(
    scoped.flatMap((s) =>
      s.path
        .split('.')
        .slice(0, -1)
        .map((_, i, parts) => parts.slice(0, i + 1).join('.')),
    ),
  );
  const taken = new Set<string>();
  const names = new Map<GraphNode, string>();
  for (const s of scoped) {
    const shared = s.op !== '' && (s.path === '' || parents.has(s.path) || (perPath.get(s.path) ?? 0) > 1);
    let name = shared ? [s.path, s.op].filter((p) => p !== '').join('.') : s.path;
    for (let k = 1; taken.has(name); k += 1) name = `${shared ? [s.path, s.op].filter((p) => p !== '').join('.') : s.path}_${k}`;
    taken.add(name);
    names.set(s.node, name);
  }
  return names;
}
