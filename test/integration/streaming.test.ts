// Streamed previews end to end in a real VS Code: the command's previews reach the preview panel
// (and the hooks a caller passes), the Explorer edit streams too, the final file is the gateway's
// image and nothing else is written, and every way a stream can go wrong ends in one clear message.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { PartialImage } from '../../src/core/client';
import { sniffImage } from '../../src/core/images';
import type { TestApi } from '../../src/extension';
import { renderImage } from '../../tools/sandbox/render';
import type { Fault, Sandbox } from '../../tools/sandbox/server';
import { runEditCommand, workspaceRoot } from './helpers';
import { atFastTime, generate, reliabilitySuite, Scene, setSetting } from './reliability';
import { tried } from './tally';

/** An OpenAI model that streams, at a small custom size, two previews each. */
const STREAMING = { model: 'gpt-image-2', size: '256x256', previews: '2' };

describe('Streamed previews (real extension host, sandbox gateway)', () => {
  let api: TestApi;
  let sandbox: Sandbox;
  reliabilitySuite(
    (a, s) => {
      api = a;
      sandbox = s;
    },
    { eachTest: true },
  );
  before(async () => {
    for (const [k, v] of Object.entries(STREAMING)) await setSetting(k, v);
  });
  after(async () => {
    await setSetting('previews', undefined);
    await setSetting('timeoutSeconds', undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  const posts = () => sandbox.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v1/images/'));
  const body = (i = 0) => posts()[i]!.json as Record<string, unknown>;

  /** A generation through the command's own path (the TestApi adds only hooks), collecting the previews. */
  async function streamed(): Promise<{ run: Awaited<ReturnType<typeof generate>>; previews: PartialImage[] }> {
    const previews: PartialImage[] = [];
    const run = await generate(api, {}, { onPreview: (p) => previews.push(p) });
    return { run, previews };
  }

  it('streams two previews to the caller and the panel, then saves only the final image', async () => {
    const shownBefore = api.previewPanel.previews;
    const scene = await Scene.open(api, sandbox, 'streamed.md');
    const { run, previews } = await streamed();
    const [uri] = await scene.succeeded(run, 1);
    assert.deepEqual(
      { stream: body().stream, partial_images: body().partial_images },
      { stream: true, partial_images: 2 },
      'the request asked for two partial images',
    );
    assert.deepEqual(
      previews.map((p) => [p.partialIndex, p.image, p.width, p.height, p.expected]),
      [
        [0, 0, 256, 256, 2],
        [1, 0, 256, 256, 2],
      ],
    );
    const saved = await vscode.workspace.fs.readFile(vscode.Uri.parse(uri!));
    for (const p of previews) assert.notEqual(sha(p.bytes), sha(saved), 'a preview is not the final image');
    assert.ok(
      run.progress.some((m) => /Preview 2 of 2/.test(m)),
      `the progress names the preview: ${run.progress.join(' | ')}`,
    );
    assert.equal(api.previewPanel.previews - shownBefore, 2, 'the panel showed both previews');
    assert.equal(api.previewPanel.open, true, 'the panel opened beside the editor');
    assert.equal(api.previewPanel.last, 'final', 'and ends on the saved image');
    assert.ok(
      vscode.window.tabGroups.all.some((g) =>
        g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && /gptImage\.preview/.test(t.input.viewType)),
      ),
      'a preview tab is open',
    );
  });

  it('sends no stream to a model that does not stream, or when previews are off', async () => {
    await setSetting('previews', 'off');
    try {
      const scene = await Scene.open(api, sandbox, 'off.md');
      const { run, previews } = await streamed();
      await scene.succeeded(run, 1);
      assert.equal(previews.length, 0);
      assert.equal(body().stream, undefined);
      assert.equal(body().partial_images, undefined);
    } finally {
      await setSetting('previews', '2');
    }
    sandbox.reset();
    await setSetting('model', 'dall-e-2');
    try {
      const scene = await Scene.open(api, sandbox, 'dalle.md');
      const { run } = await streamed();
      await scene.succeeded(run, 1);
      assert.equal(body().stream, undefined, 'dall-e-2 does not stream');
    } finally {
      await setSetting('model', STREAMING.model);
    }
  });

  it('streams an Explorer edit: previews in the panel, the result saved next to the source', async () => {
    const folder = vscode.Uri.joinPath(workspaceRoot(), 'stream-edit');
    const source = vscode.Uri.joinPath(folder, 'pier.png');
    await vscode.workspace.fs.writeFile(
      source,
      await renderImage({ prompt: 'pier', width: 256, height: 256, format: 'png', model: 'source', index: 0, total: 1 }),
    );
    const shownBefore = api.previewPanel.previews;
    try {
      const running = runEditCommand(api, 'Make it a night scene', source);
      const outcome = await running;
      assert.ok(outcome, 'the edit saved its result');
      const names = (await vscode.workspace.fs.readDirectory(folder)).map(([n]) => n).sort();
      assert.deepEqual(names, ['pier-edited.png', 'pier.png'], 'only the result was written');
      assert.deepEqual(sniffImage(Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.parse(outcome.files[0]!)))), {
        format: 'png',
        width: 256,
        height: 256,
      });
      const sent = posts();
      assert.equal(sent.length, 1);
      assert.match(sent[0]!.path, /\/images\/edits$/);
      assert.equal(api.previewPanel.previews - shownBefore, 2, 'the panel showed the edit previews');
      assert.equal(api.previewPanel.last, 'final');
    } finally {
      await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false });
    }
  });

  interface StreamCase {
    name: string;
    fault: Fault;
    /** Success with this many previews, or failure with this message. */
    previews?: number;
    message?: RegExp;
    timeoutSeconds?: number;
  }
  const CASES: StreamCase[] = [
    {
      name: 'a cut after the first preview',
      fault: { type: 'streamCut' },
      message: /broke while reading the answer .*after 1 preview, before the final image/,
    },
    {
      name: 'an error event mid-stream',
      fault: { type: 'streamError', code: 'upstream_error', message: 'the upstream model failed' },
      message:
        /error in the middle of the stream \(upstream_error: the upstream model failed\), after 1 preview, before the final image; not retried/,
    },
    {
      name: 'keep-alive lines only',
      fault: { type: 'streamKeepAliveOnly' },
      // 10 s at a fifth of real time (atFastTime).
      message: /No complete answer from the gateway within 2 s/,
      timeoutSeconds: 10,
    },
    { name: 'JSON instead of a stream', fault: { type: 'streamJson' }, previews: 0 },
    { name: 'only the final event', fault: { type: 'streamCompletedOnly' }, previews: 0 },
    { name: 'events in odd-sized chunks with CRLF', fault: { type: 'streamChunkedCrlf' }, previews: 2 },
  ];
  for (const c of CASES) {
    it(`${c.name}: ${c.message ? 'one clear message, nothing written, sent once' : 'the image is saved'}`, async () => {
      tried('faults', `stream: ${c.name}`);
      if (c.timeoutSeconds) await setSetting('timeoutSeconds', c.timeoutSeconds);
      try {
        sandbox.enqueue(c.fault);
        const scene = await Scene.open(api, sandbox, 'fault.md');
        const { run, previews } = await (c.timeoutSeconds ? atFastTime(api, streamed) : streamed());
        if (c.message) await scene.failed(run, { message: c.message, requestId: c.fault.type !== 'streamKeepAliveOnly' });
        else {
          await scene.succeeded(run, 1);
          assert.equal(previews.length, c.previews);
        }
        assert.equal(posts().length, 1, 'a started stream is never sent again');
      } finally {
        if (c.timeoutSeconds) await setSetting('timeoutSeconds', undefined);
      }
    });
  }
});

function sha(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
