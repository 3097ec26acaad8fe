// A GraphDef node's attributes as tensorflowjs_converter writes them: TensorFlow's AttrValue
// in protobuf's JSON mapping (`{"s": base64}`, `{"i": "int64 as a string"}`, `{"list": {"i": [...]}}`,
// `{"type": "DT_FLOAT"}`, `{"shape": {"dim": [{"size": "-1"}]}}`). Every read checks its type and
// range, and a wrong one is one line naming the node and the attribute.
import { UsageError } from '../../errors';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An int64 as protobuf's JSON writes it (a decimal string, or a number), within 2^53. */
function int64(value: unknown, where: () => string): number {
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : typeof value === 'number' ? value : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`${where()} is ${JSON.stringify(value)?.slice(0, 40)}, not a whole number within 2^53`);
  return n;
}

/**
 * A base64 string's bytes as UTF-8, decoded as Node's Buffer decodes base64 (the URL-safe
 * alphabet too, other characters skipped, the rest after a '=' dropped), without Buffer: the
 * reader runs in a browser too (docs/browser.md).
 */
function utf8FromBase64(text: string): string {
  const clean = (text.split('=')[0] ?? '')
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .replace(/[^A-Za-z0-9+/]/g, '');
  const whole = clean.length % 4 === 1 ? clean.slice(0, -1) : clean;
  const binary = atob(whole + '='.repeat((4 - (whole.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

export class NodeAttrs {
  constructor(
    private readonly raw: Record<string, unknown>,
    /** `${path}: node 'name' (Op)`, for refusals. */
    readonly where: string,
  ) {}

  private field(key: string, kind: string): unknown {
    const attr = this.raw[key];
    if (attr === undefined) return undefined;
    if (!isObject(attr)) throw this.bad(key, 'is not an attribute value');
    return attr[kind];
  }

  bad(key: string, what: string): UsageError {
    return new UsageError(`${this.where}: attribute '${key}' ${what}`);
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  string(key: string, fallback: string): string {
    const s = this.field(key, 's');
    if (s === undefined) return fallback;
    if (typeof s !== 'string') throw this.bad(key, 'is not a string');
    return utf8FromBase64(s);
  }

  int(key: string, fallback: number): number {
    const i = this.field(key, 'i');
    return i === undefined ? fallback : int64(i, () => `${this.where}: attribute '${key}'`);
  }

  float(key: string, fallback: number): number {
    const f = this.field(key, 'f');
    if (f === undefined) return fallback;
    if (typeof f !== 'number' || !Number.isFinite(f)) throw this.bad(key, 'is not a finite number');
    return f;
  }

  bool(key: string, fallback: boolean): boolean {
    const b = this.field(key, 'b');
    if (b === undefined) return fallback;
    if (typeof b !== 'boolean') throw this.bad(key, 'is not true or false');
    return b;
  }

  private list(key: string, kind: string): unknown[] | undefined {
    const list = this.field(key, 'list');
    if (list === undefined) return undefined;
    if (!isObject(list)) throw this.bad(key, 'is not a list');
    const items = list[kind] ?? [];
    if (!Array.isArray(items)) throw this.bad(key, `has no list of ${kind}`);
    return items;
  }

  ints(key: string): number[] | undefined {
    return this.list(key, 'i')?.map((v, k) => int64(v, () => `${this.where}: attribute '${key}' item ${k}`));
  }

  strings(key: string): string[] | undefined {
    return this.list(key, 's')?.map((v) => {
      if (typeof v !== 'string') throw this.bad(key, 'holds a non-string');
      return utf8FromBase64(v);
    });
  }

  type(key: string): string | undefined {
    const t = this.field(key, 'type');
    if (t !== undefined && typeof t !== 'string') throw this.bad(key, 'is not a type name');
    return t;
  }

  /** A shape attribute: sizes, null for an open one (-1); undefined when absent or of unknown rank. */
  shape(key: string): (number | null)[] | undefined {
    const shape = this.field(key, 'shape');
    return shape === undefined ? undefined : tensorShape(shape, `${this.where}: attribute '${key}'`);
  }

  /** A Const's tensor attribute (`value`), for the values a manifest does not hold. */
  tensor(key: string): Record<string, unknown> | undefined {
    const t = this.field(key, 'tensor');
    if (t !== undefined && !isObject(t)) throw this.bad(key, 'is not a tensor');
    return t as Record<string, unknown> | undefined;
  }
}

/** A TensorShapeProto in JSON: `{dim: [{size: "3"}]}`, `{unknownRank: true}`; sizes of -1 are open. */
export function tensorShape(shape: unknown, where: string): (number | null)[] | undefined {
  if (!isObject(shape)) throw new UsageError(`${where} is not a tensor shape`);
  if (shape['unknownRank'] === true) return undefined;
  const dims = shape['dim'] ?? [];
  if (!Array.isArray(dims)) throw new UsageError(`${where} has no list of dimensions`);
  return dims.map((d: unknown, i) => {
    const size = isObject(d) ? int64(d['size'] ?? '0', () => `${where} dimension ${i}`) : NaN;
    if (!(size >= -1)) throw new UsageError(`${where} dimension ${i} is not a size`);
    return size === -1 ? null : size;
  });
}
