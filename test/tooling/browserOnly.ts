import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * A copy of an extension folder whose manifest has no `main` and no `extensionKind`, only `browser`: as in
 * vscode.dev, where there is no Node extension host, the workbench runs it in the browser's (a web worker).
 * With `main` as well, code-server's Node host wins; the payload's extensionDevelopmentKind would say the
 * same as this copy, but VS Code 1.100's web workbench does not read it. Open the copy as the development
 * extension (the payload's extensionDevelopmentPath).
 */
export function browserOnlyCopy(from: string, include: (entry: string) => boolean = () => true): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gpt-image-web-'));
  for (const entry of fs.readdirSync(from)) {
    if (entry !== 'package.json' && include(entry)) fs.cpSync(path.join(from, entry), path.join(dir, entry), { recursive: true });
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(from, 'package.json'), 'utf8'));
  delete manifest.main;
  delete manifest.extensionKind;
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  return dir;
}
