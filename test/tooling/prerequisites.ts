import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

/** What the offline test route needs from the machine, and the Debian package that brings each. */
const NEEDS = [
  { what: 'Chromium', check: () => fs.existsSync(chromiumPath()), pkg: 'chromium' },
  { what: 'a C++ compiler', check: () => onPath('g++'), pkg: 'g++' },
  { what: 'ripgrep', check: () => onPath('rg'), pkg: 'ripgrep' },
  { what: 'exiftool', check: () => onPath('exiftool'), pkg: 'libimage-exiftool-perl' },
  {
    what: 'Kerberos headers',
    check: () => fs.existsSync('/usr/include/krb5.h') || fs.existsSync('/usr/include/krb5/krb5.h'),
    pkg: 'libkrb5-dev',
  },
  { what: 'libsecret headers', check: () => fs.existsSync('/usr/include/libsecret-1'), pkg: 'libsecret-1-dev' },
  { what: 'X11 keyboard headers', check: () => fs.existsSync('/usr/include/X11/extensions/XKBfile.h'), pkg: 'libxkbfile-dev libx11-dev' },
];

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

function onPath(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Ends the process with a message naming what to install, instead of a stack trace deep in npm. */
export function requirePrerequisites(options: { browserOnly?: boolean } = {}): void {
  const missing = NEEDS.filter((n) => (options.browserOnly ? n.what === 'Chromium' : true)).filter((n) => !n.check());
  if (missing.length === 0) return;
  const pkgs = missing.map((m) => m.pkg).join(' ');
  console.error(
    `Missing prerequisites: ${missing.map((m) => m.what).join(', ')}.\n` +
      `On Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y ${pkgs}\n` +
      `(set CHROMIUM_PATH to use another Chromium build)`,
  );
  process.exit(2);
}
