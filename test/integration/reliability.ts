// The checks every reliability case shares: run a generation, then prove what it left behind
// (files, editor, history, log, requests) and that the key showed up nowhere it must not.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import { sniffImage } from '../../src/core/images';
import type { GenerateHooks } from '../../src/commands/generate';
import type { GenerateOutcome } from '../../src/flow/generation';
import type { HistoryEntry } from '../../src/workspace/history';
import type { Sandbox, SandboxOptions } from '../../tools/sandbox/server';
import { config, connectedSandbox, extensionApi, markdownEditor, resetSettings, workspaceRoot } from './helpers';
import { count, keyFoundIn, writeFigures } from './tally';

/**
 * Small and quick: a model that takes custom sizes, asked for a tiny one. Its answers are not streamed
 * (the faults here shape an ordinary answer); streamed ones have their own suite (streaming.test.ts).
 */
export const SMALL = {
  model: 'gpt-image-2',
  size: '256x256',
  askForSize: false,
  n: 1,
  insert: 'auto',
  outputFormat: 'png',
  previews: 'off',
};
/**
 * The time scale (Services.timeScale) of suites that wait for a deadline or for task polls: a 10 s timeout
 * ends after 2 s, a 1 s poll interval is 200 ms. What is waited for, and in which order, is unchanged.
 */
const FAST = 0.2;

/** Runs `call` with the request clock at FAST, and on real time again afterwards, whatever happened. */
export async function atFastTime<T>(api: TestApi, call: () => Promise<T>): Promise<T> {
  api.services.timeScale = FAST;
  try {
    return await call();
  } finally {
    api.services.timeScale = undefined;
  }
}

/** The enclosing suite's tests with the request clock at FAST; `api` is read when its first test starts. */
export function fastTimeFor(api: () => TestApi): void {
  before(() => (api().services.timeScale = FAST));
  after(() => (api().services.timeScale = undefined));
}

export const RELIABILITY_SETTINGS = [
  'baseUrl',
  'model',
  'size',
  'askForSize',
  'n',
  'insert',
  'outputFormat',
  'outputFolder',
  'timeoutSeconds',
  'previews',
];

/** A key no generic pattern (sk-…, Bearer …) would catch: only the extension's own redaction can hide it. */
export function distinctiveKey(): string {
  return `gwkey${randomBytes(12).toString('hex')}`;
}

export function reliableSandbox(api: TestApi, opts: SandboxOptions = {}, settings: Record<string, unknown> = {}): Promise<Sandbox> {
  return connectedSandbox(api, { ...SMALL, ...settings }, { key: distinctiveKey(), ...opts });
}

/**
 * The hooks every reliability suite shares: a connected sandbox before, settings reset and figures
 * written after, and (with `eachTest`) a clean sandbox queue and editors before each case.
 */
export function reliabilitySuite(ready: (api: TestApi, sandbox: Sandbox) => void, options: { eachTest?: boolean } = {}): void {
  let sandbox: Sandbox | undefined;
  before(async () => {
    const api = await extensionApi();
    sandbox = await reliableSandbox(api);
    ready(api, sandbox);
  });
  after(async () => {
    await sandbox?.close();
    await resetSettings(RELIABILITY_SETTINGS);
    writeFigures();
  });
  if (options.eachTest) {
    beforeEach(async () => {
      sandbox?.reset();
      await freshEditors();
    });
  }
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await config().update(key, value, vscode.ConfigurationTarget.Global);
}

export interface Run {
  outcome: GenerateOutcome | undefined;
  /** What a notification would have shown. */
  errors: string[];
  progress: string[];
  ms: number;
}

/** The real command, as a keybinding runs it: messages become notifications. */
export async function command(args?: Record<string, unknown>): Promise<Run> {
  const started = Date.now();
  count('generations');
  const outcome = (await vscode.commands.executeCommand('gptImage.generate', args)) as GenerateOutcome | undefined;
  return { outcome, errors: [], progress: [], ms: Date.now() - started };
}

export async function generate(api: TestApi, args: Record<string, unknown> = {}, hooks: GenerateHooks = {}): Promise<Run> {
  const errors: string[] = [];
  const progress: string[] = [];
  const started = Date.now();
  count('generations');
  const outcome = await api.generate(args, {
    ...hooks,
    onError: (m) => errors.push(m),
    onProgress: (m) => (progress.push(m), hooks.onProgress?.(m)),
  });
  return { outcome, errors, progress, ms: Date.now() - started };
}

/** Every file below the workspace's private parent folder, so writes beside the workspace show too. */
export function filesOnDisk(): string[] {
  const top = path.dirname(workspaceRoot().fsPath);
  return (fs.readdirSync(top, { recursive: true }) as string[]).filter((f) => fs.lstatSync(path.join(top, f)).isFile()).sort();
}

/** Log lines from the last generation's start on. */
export function lastRunLog(api: TestApi): string[] {
  const lines = api.services.log.recent;
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.startsWith('generate model=')) return lines.slice(i);
  return [];
}

export interface FailureExpectation {
  message: RegExp;
  status?: 'failed' | 'cancelled';
  /** The HTTP status the log must show. */
  httpStatus?: number;
  /** The log must carry the sandbox's request id. */
  requestId?: boolean;
  /** The request never reached the flow's HTTP stage (refused up front): no history, no log. */
  refused?: boolean;
  /** Run through the real command: the message went to a notification, so it is read from the history. */
  viaCommand?: boolean;
}

let documents = 0;

/** Saves what earlier cases left dirty (closing a dirty editor would ask), then closes every editor. */
export async function freshEditors(): Promise<void> {
  await vscode.workspace.saveAll(false);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** A document with a selected prompt line and a snapshot of everything a generation could change. */
export class Scene {
  private constructor(
    private readonly api: TestApi,
    readonly sandbox: Sandbox,
    readonly editor: vscode.TextEditor | undefined,
    readonly text: string,
    private readonly files: string[],
    private readonly historyIds: Set<string>,
  ) {}

  /** `name` '' for no editor; else a fresh Markdown file (never a document left dirty by an earlier case). */
  static async open(api: TestApi, sandbox: Sandbox, name: string, text = 'A small green lantern\n'): Promise<Scene> {
    const editor = name ? await markdownEditor(`${name.replace(/\.md$/, '')}-${++documents}.md`, text, 0) : undefined;
    const ids = new Set((await api.services.history.all()).map((e) => e.id));
    return new Scene(api, sandbox, editor, editor?.document.getText() ?? '', filesOnDisk(), ids);
  }

  /** Reuses an open editor, its text replaced: many runs without opening many documents. */
  static async reuse(api: TestApi, sandbox: Sandbox, editor: vscode.TextEditor, text: string): Promise<Scene> {
    const doc = editor.document;
    await editor.edit((b) => b.replace(new vscode.Range(0, 0, doc.lineCount, 0), text));
    editor.selection = new vscode.Selection(0, 0, 0, doc.lineAt(0).text.length);
    const ids = new Set((await api.services.history.all()).map((e) => e.id));
    return new Scene(api, sandbox, editor, doc.getText(), filesOnDisk(), ids);
  }

  private async newEntries(): Promise<HistoryEntry[]> {
    return (await this.api.services.history.all()).filter((e) => !this.historyIds.has(e.id));
  }

  /** Nothing written, the editor as it was, the history and log say why, and no key anywhere. */
  async failed(run: Run, expect: FailureExpectation): Promise<void> {
    assert.equal(run.outcome, undefined, 'no outcome for a failure');
    const entries = await this.newEntries();
    assert.equal(run.errors.length, expect.viaCommand ? 0 : 1, `one message: ${JSON.stringify(run.errors)}`);
    const message = expect.viaCommand ? (entries[0]?.error ?? '') : run.errors[0]!;
    assert.match(message, expect.message);
    this.checkNothingWritten();
    const log = expect.refused ? [] : lastRunLog(this.api);
    if (expect.refused) {
      assert.equal(entries.length, 0, 'a refused request leaves no history');
    } else {
      assert.equal(entries.length, 1, 'the history records the failure');
      assert.equal(entries[0]!.status, expect.status ?? 'failed');
      assert.deepEqual(entries[0]!.files, []);
      assert.equal(entries[0]!.error, message, 'the history keeps the message shown');
      const failure = log.find((l) => l.startsWith('failed kind='));
      assert.ok(failure ?? expect.status === 'cancelled', `the log says it failed:\n${log.join('\n')}`);
      if (expect.httpStatus)
        assert.ok(
          log.some((l) => l.includes(`status=${expect.httpStatus}`)),
          `log has status ${expect.httpStatus}:\n${log.join('\n')}`,
        );
      if (expect.requestId)
        assert.ok(
          log.some((l) => /request-id=req_sandbox_\d+/.test(l)),
          `log has the request id:\n${log.join('\n')}`,
        );
    }
    this.checkKey({ message, log: log.join('\n'), history: JSON.stringify(entries) });
  }

  /** Every image saved whole, with the extension of its real format, linked once, and in the history. */
  async succeeded(run: Run, n: number): Promise<string[]> {
    assert.deepEqual(run.errors, []);
    assert.ok(run.outcome, 'an outcome for a success');
    const { images } = run.outcome;
    count('imagesSaved', images.length);
    assert.equal(images.length, n);
    for (const img of images) {
      const uri = vscode.Uri.parse(img.uri);
      let bytes: Uint8Array | undefined;
      try {
        bytes = await vscode.workspace.fs.readFile(uri);
      } catch {
        count('imagesLost');
      }
      assert.ok(bytes, `${uri.path} exists`);
      const sniffed = sniffImage(Buffer.from(bytes));
      const whole = sniffed?.format === img.format && sniffed.width === img.width && sniffed.height === img.height;
      const ext = path.extname(uri.path).slice(1);
      const named = ext === (img.format === 'jpeg' ? 'jpg' : img.format);
      if (!whole || !named) count('imagesCorrupted');
      assert.ok(whole, `${uri.path} holds the image reported: ${JSON.stringify(sniffed)}`);
      assert.ok(named, `${uri.path} has the extension of its format ${img.format}`);
    }
    const entries = await this.newEntries();
    assert.equal(entries.length, 1, 'one history entry');
    assert.equal(entries[0]!.status, 'succeeded');
    assert.deepEqual(
      entries[0]!.files.map((f) => f.uri),
      images.map((i) => i.uri),
    );
    if (this.editor) {
      count('editsChecked');
      const text = this.editor.document.getText();
      const names = images.map((i) => path.posix.basename(vscode.Uri.parse(i.uri).path));
      const linked = names.every((name) => text.split(name).length === 2);
      if (!linked) count('editsLost');
      assert.ok(linked, `each file linked once:\n${text}`);
    }
    const added = this.addedFiles();
    assert.equal(added.length, n, `only the images were written: ${added.join(', ')}`);
    this.checkKey({ log: lastRunLog(this.api).join('\n'), history: JSON.stringify(entries) });
    return images.map((i) => i.uri);
  }

  addedFiles(): string[] {
    return filesOnDisk().filter((f) => !this.files.includes(f));
  }

  checkNothingWritten(): void {
    const stray = this.addedFiles();
    count('strayFiles', stray.length);
    assert.deepEqual(stray, [], 'nothing written');
    if (this.editor) {
      count('editsChecked');
      const unchanged = this.editor.document.getText() === this.text;
      if (!unchanged) count('editsCorrupted');
      assert.ok(unchanged, `the editor is unchanged:\n${this.editor.document.getText()}`);
    }
  }

  /** The key may only travel to the gateway, in its Authorization header. */
  checkKey(places: Record<string, string>): void {
    const key = this.sandbox.key;
    const downloads = this.sandbox.requests.filter((r) => r.path.startsWith('/files/'));
    const all: Record<string, string> = { ...places };
    downloads.forEach((r, i) => (all[`image download ${i + 1} headers`] = JSON.stringify(r.headers)));
    for (const r of downloads) assert.equal(r.headers.authorization, undefined, 'no Authorization header on an image download');
    const leaks = keyFoundIn(key, all);
    assert.deepEqual(leaks, [], 'the key appears nowhere but the gateway request');
  }
}
