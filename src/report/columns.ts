// Which convention columns a report shows, and their headers.
import { conventionByKey } from '../analyzers/conventions';

export function columnHeader(key: string): string {
  const convention = conventionByKey(key);
  return convention === undefined ? key : `${convention.unit} (${key})`;
}
