// Figures of the reliability suites, counted as the cases run and written to
// test-results/reliability.<pass>.json (or the folder of the VS Code version under test, GPT_IMAGE_RESULTS);
// the runner merges the passes into reliability.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESULTS } from '../tooling/paths';

export interface Figures {
  faults: number;
  badInputs: number;
  /** Places searched for the key (a log, a message, a file, a recorded request...). */
  keyChecks: number;
  keyLeaks: number;
  imagesSaved: number;
  imagesLost: number;
  imagesCorrupted: number;
  /** Editors checked after a generation: unchanged on failure, exactly the links on success. */
  editsChecked: number;
  editsLost: number;
  editsCorrupted: number;
  /** Files written by a generation that failed or was refused. */
  strayFiles: number;
  generations: number;
  [extra: string]: number;
}

export const PASS = process.env.GPT_IMAGE_PASS || 'main';

const figures: Figures = {
  faults: 0,
  badInputs: 0,
  keyChecks: 0,
  keyLeaks: 0,
  imagesSaved: 0,
  imagesLost: 0,
  imagesCorrupted: 0,
  editsChecked: 0,
  editsLost: 0,
  editsCorrupted: 0,
  strayFiles: 0,
  generations: 0,
};
const leaks: string[] = [];
const cases: Record<string, string[]> = {};

export function count(name: keyof Figures, by = 1): void {
  figures[name] = (figures[name] ?? 0) + by;
}

/** Names one fault or bad input, so the figures say what was tried. */
export function tried(kind: 'faults' | 'badInputs', name: string): void {
  count(kind);
  (cases[kind] ??= []).push(name);
}

/** Counts each place searched and each leak; the caller asserts there were none. */
export function keyFoundIn(key: string, places: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [where, text] of Object.entries(places)) {
    count('keyChecks');
    if (text.includes(key)) found.push(where);
  }
  count('keyLeaks', found.length);
  leaks.push(...found);
  return found;
}

export function writeFigures(extra: Record<string, unknown> = {}): void {
  const results = process.env.GPT_IMAGE_RESULTS || RESULTS;
  fs.mkdirSync(results, { recursive: true });
  const file = path.join(results, `reliability.${PASS}.json`);
  fs.writeFileSync(file, JSON.stringify({ pass: PASS, date: new Date().toISOString(), figures, leaks, cases, ...extra }, null, 2));
}
