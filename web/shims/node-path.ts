// node:path's basename for the browser build (src/model/spec.ts names a model file by it): a
// page's file names are POSIX-like paths inside the folder the user gave.
export function basename(path: string): string {
  return path.replace(/\/+$/, '').split('/').pop() ?? '';
}
