// The op kinds' names: the registry's keys (index.ts), in its order, which charts and tables keep.
// A module of its own so that what imports the names (Op, the conventions, the library's types)
// does not reach the definitions, whose types name tfjs': its declarations list the names alone.
import { KINDS } from './index';

/** An object's keys, typed as its own (so the emitted declaration is the list of names). */
const keysOf = <T extends object>(o: T): readonly (keyof T & string)[] => Object.keys(o) as (keyof T & string)[];

export const OP_KINDS = keysOf(KINDS);

/** An op kind: its name, a key of the registry. */
export type OpKind = (typeof OP_KINDS)[number];
