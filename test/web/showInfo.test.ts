// Show Generation Info in the browser's extension host, on files this session did not make: one written
// through workspace.fs with a recipe embedded by the core (as another machine's GPT Image Studio saves it),
// and one with none. Use prompt then generates from the recipe's prompt.
import * as vscode from 'vscode';
import type { TestApi } from '../../src/activate';
import type { InfoOutcome } from '../../src/commands/showInfo';
import { Commands } from '../../src/config/commandIds';
import type { Recipe } from '../../src/core/recipe';
import { embedRecipe, readRecipe } from '../../src/core/xmpPacket';
import {
  acceptingEverything,
  check,
  checkFromBrowser,
  control,
  dismissingEverything,
  drawPng,
  extensionApi,
  heardAt,
  images,
  readFile,
  root,
  same,
  until,
} from './helpers';

const FOLDER = 'web-info';

const RECIPE: Recipe = {
  prompt: 'a whale poster, the words "Deep Blue" in bold letters',
  model: 'gpt-image-1',
  size: '1536x1024',
  quality: 'high',
  outputFormat: 'png',
  n: 1,
  host: 'images.example.com',
  time: '2026-03-01T09:30:00.000Z',
  generator: { name: 'GPT Image Studio', version: '0.0.9' },
  edit: { sources: ['photos/whale.jpg'], mask: true },
};

const poster = () => drawPng(1536, 1024, (c) => c.fillRect(0, 0, 1536, 1024));

describe('Web extension host: Show Generation Info on images made elsewhere', () => {
  let api: TestApi;

  before(async () => {
    api = await extensionApi();
  });
  beforeEach(() => control('reset', {}));
  after(() => vscode.workspace.fs.delete(vscode.Uri.joinPath(root(), FOLDER), { recursive: true, useTrash: false }));

  it('reads the recipe a PNG carries and lists every field; Use prompt then generates from its prompt', async () => {
    const embedded = embedRecipe(await poster(), RECIPE);
    check(embedded.ok, 'the core embeds the recipe');
    const uri = vscode.Uri.joinPath(root(), FOLDER, 'whale-poster.png');
    await vscode.workspace.fs.writeFile(uri, embedded.bytes);
    same(readRecipe(await readFile(uri)), RECIPE, 'the file as written');

    // Dismissed: the command says what it showed.
    const shown = await dismissingEverything<InfoOutcome>(Commands.showInfo, uri);
    same(shown?.recipe, RECIPE, 'the recipe the command read');
    same(shown?.chosen, undefined, 'the choice');
    same(
      shown?.items,
      [
        '$(sparkle) Use prompt: ',
        '$(edit) Refine this: ',
        '$(copy) Copy recipe: ',
        'Recipe: ',
        `Prompt: ${RECIPE.prompt}`,
        'Model: gpt-image-1',
        'Size: 1536x1024',
        'Quality: high',
        'Format: png',
        'Images: 1',
        'Gateway: images.example.com',
        `Time: ${RECIPE.time}`,
        'Made with: GPT Image Studio 0.0.9',
        'Edited from: photos/whale.jpg',
        'Mask: yes',
      ],
      'the items shown',
    );
    same(await heardAt('images/generations'), [], 'requests while only showing');

    // Use prompt (the first item), its prompt box accepted as filled in: the recipe's prompt is generated.
    const earlier = await images();
    const used = await acceptingEverything<InfoOutcome>(Commands.showInfo, uri);
    same(used?.chosen, 'usePrompt', 'the choice');
    const [sent] = await until('the generation from the recipe', async () => {
      const posts = (await heardAt('images/generations')).filter((r) => r.method === 'POST');
      return posts.length ? posts : undefined;
    });
    checkFromBrowser(sent!, 'the generation');
    same((sent!.json as { prompt?: string }).prompt, RECIPE.prompt, 'the prompt sent');
    const entry = await until('the history entry of the generation', async () =>
      (await api.services.history.all()).find((e) => e.prompt === RECIPE.prompt && e.status === 'succeeded'),
    );
    same(entry.files.length, 1, 'files saved');
    same((await images()).length, earlier.length + 1, 'images in the folder');
    same(readRecipe(await readFile(entry.files[0]!.uri))?.prompt, RECIPE.prompt, "the new image's recipe");
  });

  it('says an image without a recipe carries none, and offers nothing', async () => {
    const uri = vscode.Uri.joinPath(root(), FOLDER, 'plain.png');
    await vscode.workspace.fs.writeFile(uri, await poster());
    const shown = await dismissingEverything<InfoOutcome>(Commands.showInfo, uri);
    same(shown, { items: [] }, 'what the command showed');
  });
});
