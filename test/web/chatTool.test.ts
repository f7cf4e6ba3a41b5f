// The chat tool (#generateImage) in the browser's extension host, invoked as an agent would through
// vscode.lm.invokeTool: the image is saved where the input asks, and the answer tells the agent where.
// Without a chat request's token VS Code asks for confirmation, which a test workbench answers itself.
import * as vscode from 'vscode';
import { IMAGE_TOOL_NAME } from '../../src/chat/imageTool';
import { sniffImage } from '../../src/core/images';
import { readRecipe } from '../../src/core/xmpPacket';
import { check, checkFromBrowser, control, extensionApi, heardAt, images, readFile, root, same } from './helpers';

const FOLDER = 'web-chat';

async function invoke(input: Record<string, unknown>): Promise<string> {
  const token = new vscode.CancellationTokenSource().token;
  const result = await vscode.lm.invokeTool(IMAGE_TOOL_NAME, { input, toolInvocationToken: undefined }, token);
  return result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

describe('Web extension host: the chat tool through vscode.lm.invokeTool', () => {
  before(() => extensionApi());
  beforeEach(() => control('reset', {}));
  after(() => vscode.workspace.fs.delete(vscode.Uri.joinPath(root(), FOLDER), { recursive: true, useTrash: false }));

  it('generates into the folder and file name asked for, and answers with the path, the size and a Markdown link', async () => {
    check(
      vscode.lm.tools.some((t) => t.name === IMAGE_TOOL_NAME),
      `${IMAGE_TOOL_NAME} is registered in the web host`,
    );
    const prompt = 'a hero banner of a mountain lake at sunrise';
    const text = await invoke({ prompt, size: '1536x1024', fileName: 'hero', folder: FOLDER });
    check(text.includes(`- ${FOLDER}/hero.png (1536x1024 png)`), `the answer names the file: ${text}`);
    check(text.includes(`](${FOLDER}/hero.png)`), `the answer carries a Markdown link: ${text}`);

    const posts = (await heardAt('images/generations')).filter((r) => r.method === 'POST');
    same(posts.length, 1, 'generation requests');
    checkFromBrowser(posts[0]!, 'the generation');
    const body = posts[0]!.json as Record<string, unknown>;
    same([body.prompt, body.size, body.n], [prompt, '1536x1024', 1], 'what the tool asked for');

    same(await images(FOLDER), ['hero.png'], 'the folder');
    const bytes = await readFile(vscode.Uri.joinPath(root(), FOLDER, 'hero.png'));
    same(sniffImage(bytes), { format: 'png', width: 1536, height: 1024 }, 'the saved image');
    same(readRecipe(bytes)?.prompt, prompt, 'its recipe');
  });

  it('refuses input the model does not take, says what is allowed, and sends nothing', async () => {
    const text = await invoke({ prompt: 'a lake', size: '999x333', folder: FOLDER });
    check(text.startsWith('No image was generated and nothing was spent.'), `the refusal: ${text}`);
    check(/Allowed with the user's model gpt-image-1:/.test(text) && /1536x1024/.test(text), `what is allowed: ${text}`);
    same(await heardAt('images/generations'), [], 'requests');
  });
});
