// An edit from the studio in the browser's extension host: the reference image and the painted mask go up
// as multipart/form-data through the browser's own fetch and FormData, the result is saved with a recipe
// that names its source, and the history records an edit.
import * as vscode from 'vscode';
import type { TestApi } from '../../src/activate';
import { toBase64 } from '../../src/core/bytes';
import { sniffImage } from '../../src/core/images';
import { readRecipe } from '../../src/core/xmpPacket';
import {
  check,
  checkFromBrowser,
  control,
  drawPng,
  type EditSummary,
  extensionApi,
  heardAt,
  jobEnd,
  openStudio,
  PNG_SIGNATURE,
  posted,
  readFile,
  root,
  same,
  sandboxKey,
  sha256,
  signature,
  studioForm,
} from './helpers';

const FOLDER = 'web-edit';
const SIDE = 1024;

describe('Web extension host: an edit with a reference image and a mask, from the studio', () => {
  let api: TestApi;

  before(async () => {
    api = await extensionApi();
    await openStudio(api);
  });
  beforeEach(() => control('reset', {}));
  after(async () => {
    // Out of the studio's list first, or its page would go on showing a file that is gone.
    await api.studio.receive({ type: 'removeReference', uri: vscode.Uri.joinPath(root(), FOLDER, 'harbor.png').toString() });
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(root(), FOLDER), { recursive: true, useTrash: false });
  });

  it('sends the image and the mask as multipart through fetch, saves the result with a recipe naming its source, and records an edit', async () => {
    const source = vscode.Uri.joinPath(root(), FOLDER, 'harbor.png');
    const original = await drawPng(SIDE, SIDE, (c) => {
      c.fillStyle = '#1b4965';
      c.fillRect(0, 0, SIDE, SIDE);
      c.fillStyle = '#f4d35e';
      c.fillRect(400, 600, 200, 200);
    });
    await vscode.workspace.fs.writeFile(source, original);
    // The area the edit may change is transparent: the top half.
    const mask = await drawPng(SIDE, SIDE, (c) => c.fillRect(0, SIDE / 2, SIDE, SIDE / 2));

    const from = api.studio.posted.length;
    await api.studio.receive({ type: 'dropReferences', uris: [source.toString()] });
    const [references] = posted(api, 'references', from);
    same(references?.problem, undefined, 'a problem with the dropped file');
    same(
      references?.references.map((r) => [r.uri, r.name, r.width, r.height]),
      [[source.toString(), 'harbor.png', SIDE, SIDE]],
      'the reference the host accepted',
    );

    const prompt = 'the harbor under a night sky';
    const form = studioForm(prompt, { quality: 'high', inputFidelity: 'high' });
    await api.studio.receive({ type: 'edit', jobId: 'web-edit-1', options: form, images: [source.toString()], mask: toBase64(mask) });
    const done = await jobEnd(api, 'web-edit-1');

    // What went up: one multipart request from the browser, the form fields, the image and the mask byte for byte.
    const sent = (await heardAt('images/edits')).filter((r) => r.method === 'POST');
    same(sent.length, 1, 'edit requests');
    const request = sent[0]!;
    checkFromBrowser(request, 'the edit');
    check(
      /^multipart\/form-data; boundary=/.test(String(request.headers['content-type'])),
      `multipart: ${request.headers['content-type']}`,
    );
    same(request.headers.authorization, `Bearer ${sandboxKey()}`, 'the key, to the gateway');
    const summary = request.json as EditSummary;
    same(
      summary.fields,
      { model: 'gpt-image-1', prompt, size: '1024x1024', quality: 'high', output_format: 'png', n: '1', input_fidelity: 'high' },
      'the form fields',
    );
    same(
      summary.files.map(({ field, filename, contentType, bytes, sha256: hash, width, height }) => ({
        field,
        filename,
        contentType,
        bytes,
        sha256: hash,
        width,
        height,
      })),
      [
        {
          field: 'image',
          filename: 'harbor.png',
          contentType: 'image/png',
          bytes: original.length,
          sha256: await sha256(original),
          width: SIDE,
          height: SIDE,
        },
        {
          field: 'mask',
          filename: 'mask.png',
          contentType: 'image/png',
          bytes: mask.length,
          sha256: await sha256(mask),
          width: SIDE,
          height: SIDE,
        },
      ],
      'the files as they arrived',
    );
    same(
      [summary.files[1]?.transparentPixels, summary.files[1]?.totalPixels],
      [(SIDE * SIDE) / 2, SIDE * SIDE],
      'the painted area of the mask',
    );

    // What came back: the result on the job's card, saved with its recipe; the source untouched.
    same(done.files.length, 1, 'files on the card');
    const saved = done.files[0]!.uri;
    check(saved.startsWith(vscode.Uri.joinPath(root(), 'images').toString() + '/'), `saved in the output folder: ${saved}`);
    const bytes = await readFile(saved);
    same(signature(bytes), PNG_SIGNATURE, 'the PNG signature');
    same(sniffImage(bytes), { format: 'png', width: SIDE, height: SIDE }, 'the result');
    const recipe = readRecipe(bytes);
    same([recipe?.prompt, recipe?.model, recipe?.quality], [prompt, 'gpt-image-1', 'high'], 'the recipe');
    same(recipe?.edit, { sources: [`${FOLDER}/harbor.png`], mask: true }, "the recipe's edit");
    same(await sha256(await readFile(source)), await sha256(original), 'the source');

    const entry = (await api.services.history.all())[0];
    same(
      [entry?.kind, entry?.prompt, entry?.sources, entry?.mask, entry?.files.map((f) => f.uri)],
      ['edit', prompt, [source.toString()], true, [saved]],
      'the history entry',
    );
    same(entry?.request?.inputFidelity, 'high', 'the recorded request');
  });
});
