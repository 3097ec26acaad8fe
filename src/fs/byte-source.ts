// The bytes of a model and of the files it names beside itself, wherever they are: files on disk
// for the CLI (local-files.ts), File objects a page was given in a browser. The readers take a
// slice when they need one and never the whole: counting reads no weight.

/** Larger than any real suite, report, point list or model.json (a 10,000-case report is about 10 MB). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** A file's bytes, read a slice at a time. */
export interface ByteSource {
  /** The path or name the user gave, for messages. */
  readonly name: string;
  readonly size: number;
  /** `length` bytes from `offset`; reading none still proves the file opens. */
  read(offset: number, length: number): Uint8Array;
}

/** The files beside a model (ONNX external data, TF.js weight shards), by the relative name the model gives. */
export interface Folder {
  /** 'outside': the name leads out of the model's folder (a link); 'not a file': a directory or a device. */
  open(relative: string): ByteSource | 'missing' | 'outside' | 'not a file';
}

/**
 * Whether a relative name a model gives leads out of its folder: absolute, or more `..` than
 * folders before them (`a/../w.data` stays inside). Told by the name, before any file is looked for.
 */
export function leavesFolder(name: string): boolean {
  if (/^([\\/]|[A-Za-z]:)/.test(name)) return true;
  let depth = 0;
  for (const part of name.split(/[\\/]/)) {
    if (part === '..') depth -= 1;
    else if (part !== '' && part !== '.') depth += 1;
    if (depth < 0) return true;
  }
  return false;
}
