// What the web suites share. No Node here (a web worker): no node:assert, no fs, no sandbox object;
// the sandbox is driven over its HTTP control routes, files go through workspace.fs, images are drawn
// with the worker's OffscreenCanvas.
import * as vscode from 'vscode';
import type { TestApi } from '../../src/activate';
import { Commands } from '../../src/config/commandIds';
import type { FormState, ToWebview } from '../../src/protocol';
import type { EditSummary } from '../../tools/sandbox/edits';
import type { Fault } from '../../tools/sandbox/faults';

const EXTENSION_ID = 'gpt-image-studio.gpt-image-studio';
/** Where the runner put the sandbox's key for this pass (a test profile's user settings). */
const KEY_SETTING = 'gptImageTests.sandboxKey';
/** What every suite starts from: no size question, one image, no previews unless a test asks. */
const BASE_SETTINGS = { askForSize: false, size: '1024x1024', n: 1, model: 'gpt-image-1', previews: 'off' };

export function check(value: unknown, what: string): asserts value {
  if (!value) throw new Error(what);
}

/** JSON with every object's keys sorted: equal values read the same whatever order their keys were set in. */
const canonical = (value: unknown): string | undefined =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );

/** Deep equality of JSON values (undefined members are left out, as JSON does). */
export function same<T>(actual: T, expected: T, what: string): void {
  const [a, e] = [canonical(actual), canonical(expected)];
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** A request as the sandbox recorded it (tools/sandbox/server.ts RecordedRequest); an edit's `json` is its EditSummary. */
export interface Heard {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  json?: unknown;
}
export type { EditSummary };

/** A request the browser's fetch made: cross-origin, it names its origin and the CORS fetch mode. */
export function checkFromBrowser(request: Heard, what: string): void {
  check(request.headers.origin, `${what} names its origin, as browsers do`);
  same(request.headers['sec-fetch-mode'], 'cors', `${what}: the fetch mode`);
}

export const config = () => vscode.workspace.getConfiguration('gptImage');
export const root = () => vscode.workspace.workspaceFolders![0]!.uri;
/** The sandbox's origin, as the extension reaches it. */
export const origin = () => new URL(config().get<string>('baseUrl')!).origin;
/** The same sandbox under another origin (another host name for the same address): what a hostile answer points at. */
export const otherOrigin = () => origin().replace('//127.0.0.1:', '//localhost:');

export async function setting(key: string, value: unknown): Promise<void> {
  await config().update(key, value, vscode.ConfigurationTarget.Global);
}

/** A sandbox control route (tools/sandbox/server.ts): GET without a body, POST with one. */
export async function control(path: string, body?: unknown): Promise<unknown> {
  const init = body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
  const res = await fetch(`${origin()}/__sandbox/${path}`, init);
  check(res.ok, `the sandbox's ${path} answered ${res.status}`);
  return res.headers.get('content-type')?.includes('json') ? res.json() : undefined;
}

export const faults = (...items: Fault[]) => control('faults', items);
export const heard = async () => (await control('requests')) as Heard[];
/** The recorded requests to one API path (the part after /v1), any method. */
export const heardAt = async (path: string) => (await heard()).filter((r) => r.path.split('?')[0] === `/v1/${path}`);

/** The file names in a workspace folder, sorted; none when it does not exist. */
export async function images(folder = 'images'): Promise<string[]> {
  const uri = vscode.Uri.joinPath(root(), folder);
  return (await vscode.workspace.fs.readDirectory(uri).then(undefined, () => [])).map(([name]) => name).sort();
}

export const readFile = (uri: string | vscode.Uri) =>
  vscode.workspace.fs.readFile(typeof uri === 'string' ? vscode.Uri.parse(uri, true) : uri);

let activated: Promise<TestApi> | undefined;

/** The extension's test API, with the base settings and the sandbox's key stored (once for all suites). */
export function extensionApi(): Promise<TestApi> {
  return (activated ??= (async () => {
    const ext = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
    check(ext, `${EXTENSION_ID} is loaded`);
    const api = await ext.activate();
    check(api, 'the extension exposes its test API in test mode');
    for (const [k, v] of Object.entries(BASE_SETTINGS)) await setting(k, v);
    const key = sandboxKey();
    await api.services.keys.store(origin(), key);
    return api;
  })());
}

export function sandboxKey(): string {
  const key = vscode.workspace.getConfiguration().get<string>(KEY_SETTING);
  check(key, `the runner sets ${KEY_SETTING}`);
  return key;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A PNG drawn by `paint` on the worker's OffscreenCanvas, as the browser encodes it. */
export async function drawPng(width: number, height: number, paint: (c: OffscreenCanvasRenderingContext2D) => void): Promise<Uint8Array> {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  check(context, 'a 2D canvas in the worker');
  paint(context);
  return new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
}

export async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export const PNG_SIGNATURE = '137,80,78,71,13,10,26,10';
export const signature = (bytes: Uint8Array) => [...bytes.subarray(0, 8)].join(',');

/** The studio's form as its page sends it. */
export function studioForm(prompt: string, changes: Partial<FormState> = {}): FormState {
  return {
    prompt,
    model: 'gpt-image-1',
    size: '1024x1024',
    quality: 'low',
    outputFormat: 'png',
    n: 1,
    background: 'auto',
    moderation: 'auto',
    outputCompression: 100,
    inputFidelity: 'low',
    previews: 'off',
    ...changes,
  };
}

/** What the studio posted since `from`, of one type. */
export function posted<T extends ToWebview['type']>(api: TestApi, type: T, from = 0): Extract<ToWebview, { type: T }>[] {
  return api.studio.posted.slice(from).filter((m): m is Extract<ToWebview, { type: T }> => m.type === type);
}

/**
 * Opens the studio's real view (its page in the workbench) and waits until the page said it is ready: the host
 * answers `ready` with the references, which it posts only to a view. A finished job reaches only a view too.
 */
export async function openStudio(api: TestApi): Promise<void> {
  if (posted(api, 'references').length) return;
  await vscode.commands.executeCommand(Commands.openSidebar);
  await until('the studio page to be ready', () => posted(api, 'references').length > 0);
}

/** A studio job's end: its jobDone, or the reason it failed. */
export async function jobEnd(api: TestApi, jobId: string): Promise<Extract<ToWebview, { type: 'jobDone' }>> {
  const end = await until(`job ${jobId} to end`, () =>
    api.studio.posted.find((m) => (m.type === 'jobDone' || m.type === 'jobFailed') && m.jobId === jobId),
  );
  if (end.type === 'jobFailed') throw new Error(`job ${jobId} failed: ${end.message}`);
  check(end.type === 'jobDone', `job ${jobId} ended`);
  return end;
}

/** Runs a command that asks questions, accepting what each quick pick and input box offers first, until it settles. */
export async function acceptingEverything<T>(command: string, ...args: unknown[]): Promise<T | undefined> {
  return answering('workbench.action.acceptSelectedQuickOpenItem', command, ...args);
}

/** Runs a command that asks questions, dismissing each, until it settles. */
export async function dismissingEverything<T>(command: string, ...args: unknown[]): Promise<T | undefined> {
  return answering('workbench.action.closeQuickOpen', command, ...args);
}

async function answering<T>(answer: string, command: string, ...args: unknown[]): Promise<T | undefined> {
  let settled = false;
  const running = Promise.resolve(vscode.commands.executeCommand<T | undefined>(command, ...args));
  running.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 100 && !settled; i++) {
    await sleep(200);
    if (!settled) await vscode.commands.executeCommand(answer);
  }
  return running;
}
