// Names a model gives for the files beside it (ONNX external data, TF.js shards): told apart by
// the name alone, before the disk or a page's files are asked, whether they stay in its folder.
import { describe, expect, it } from 'vitest';
import { leavesFolder } from '../src/fs/byte-source';

describe('leavesFolder', () => {
  it.each(['w.data', 'weights/w.data', './w.data', 'a/../w.data', 'a/b/../../w.data'])('%s stays inside', (name) => {
    expect(leavesFolder(name)).toBe(false);
  });

  it.each(['../w.data', 'a/../../w.data', '/etc/passwd', '\\\\server\\share', 'C:\\w.data', 'c:w.data', '..\\w.data'])('%s leaves', (name) => {
    expect(leavesFolder(name)).toBe(true);
  });
});
