import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './paths';

/** A fresh copy of the sample workspace, so no run sees another run's files. */
export function freshWorkspace(name = 'workspace'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpt-image-ws-'));
  const target = path.join(dir, name);
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), target, { recursive: true });
  return target;
}
