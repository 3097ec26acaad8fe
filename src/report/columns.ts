// Which convention columns a report shows, and their headers.
import { conventionByKey } from '../analyzers/conventions';

/** `MACs (thop)`; with a pass, `FLOPs bwd (flops)`. */
export function columnHeader(key: string, pass?: string): string {
  const convention = conventionByKey(key);
  if (convention === undefined) return key;
  return pass === undefined ? `${convention.unit} (${key})` : `${convention.unit} ${pass} (${key})`;
}
