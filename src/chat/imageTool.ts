// The `#generateImage` language model tool: chat agents generate images through the same flow as
// the command (naming, no-overwrite, history), after the user confirms what it will cost.
import * as vscode from 'vscode';
import * as z from 'zod/v4-mini';
import { normalizeBaseUrl } from '../core/baseUrl';
import { englishMessage } from '../core/messages';
import { describeSize, estimateCost, getModel, sizeAsSent, type ModelInfo } from '../core/catalog';
import { altText, formatImageLink, relativePath } from '../core/links';
import {
  BACKGROUNDS,
  describeDropped,
  fitRequest,
  OUTPUT_FORMATS,
  type Background,
  type ImageFormat,
  type RequestOptions,
} from '../core/options';
import { checkOutputFolder } from '../core/outputFolder';
import { validateRequest, type GenerateRequest } from '../core/request';
import { readPrices, readSettings } from '../config/settings';
import { generate, type GenerateOutcome } from '../flow/generation';
import type { Services } from '../services/services';

export const IMAGE_TOOL_NAME = 'gptImage_generate';

/** Mirrors `contributes.languageModelTools[0].inputSchema` in package.json. */
export interface ImageToolInput {
  prompt: string;
  size?: string;
  quality?: string;
  n?: number;
  outputFormat?: ImageFormat;
  background?: Background;
  outputCompression?: number;
  fileName?: string;
  folder?: string;
}

// VS Code does not check input against the declared schema, so the shape is checked here;
// limits that depend on the model are left to validateRequest, which the command uses too.
const COMPRESSION = 'outputCompression: must be a whole number from 0 to 100';
/** The folder check's wording names the setting; here the value came from the folder input. */
function folderProblem(value: string): string {
  const checked = checkOutputFolder(value);
  return checked.ok ? '' : checked.message.replace(/^The setting gptImage\.outputFolder/, 'folder');
}
const inputShape = z.object({
  prompt: z.string({ error: 'prompt: required; describe the image in text' }),
  size: z.optional(z.string({ error: 'size: must be text like 1024x1024' })),
  quality: z.optional(z.string({ error: 'quality: must be text like medium' })),
  n: z.optional(z.number({ error: 'n: must be a whole number' })),
  outputFormat: z.optional(z.enum(OUTPUT_FORMATS, { error: `outputFormat: use ${OUTPUT_FORMATS.join(', ')}` })),
  background: z.optional(z.enum(BACKGROUNDS, { error: `background: use ${BACKGROUNDS.join(', ')}` })),
  outputCompression: z.optional(z.int({ error: COMPRESSION }).check(z.minimum(0, COMPRESSION), z.maximum(100, COMPRESSION))),
  fileName: z.optional(
    z
      .string({ error: 'fileName: must be text' })
      .check(z.trim(), z.minLength(1, 'fileName: leave it out or give a name'), z.maxLength(200, 'fileName: at most 200 characters')),
  ),
  folder: z.optional(
    z
      .string({ error: 'folder: must be text like docs/images' })
      .check(z.refine((value) => checkOutputFolder(value).ok, { error: (issue) => folderProblem(issue.input as string) })),
  ),
});

/** The request's options as fitted for the model, n always set. */
interface Plan extends Omit<RequestOptions, 'n'> {
  model: ModelInfo;
  prompt: string;
  size: string;
  n: number;
  folder: string;
  fileName?: string;
  cost?: number;
  /** What drives the cost that the agent chose unlike the user's settings, for the cost question. */
  chosenByAgent: string[];
}

type Planned = { ok: true; plan: Plan } | { ok: false; message: string };

export class ImageTool implements vscode.LanguageModelTool<ImageToolInput> {
  constructor(private readonly services: Services) {}

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<ImageToolInput>): vscode.PreparedToolInvocation {
    const planned = this.plan(options.input);
    // Nothing is spent on input that will be refused, so there is nothing to confirm.
    if (!planned.ok) return { invocationMessage: vscode.l10n.t('Checking the image request') };
    const p = planned.plan;
    const title = p.n === 1 ? vscode.l10n.t('Generate an image?') : vscode.l10n.t('Generate {0} images?', p.n);
    return {
      invocationMessage: vscode.l10n.t('Generating {0} image(s) at {1}', p.n, p.size),
      confirmationMessages: { title, message: confirmation(p) },
    };
  }

  async invoke(
    options: vscode.LanguageModelToolInvocationOptions<ImageToolInput>,
    token: vscode.CancellationToken,
  ): Promise<vscode.LanguageModelToolResult> {
    if (token.isCancellationRequested) throw new vscode.CancellationError();
    const planned = this.plan(options.input);
    if (!planned.ok) return textResult(planned.message);
    const p = planned.plan;
    const controller = new AbortController();
    const onCancel = token.onCancellationRequested(() => controller.abort());
    const errors: string[] = [];
    try {
      const { settings } = readSettings();
      const request = requestOf(p);
      const outcome = await generate(
        this.services,
        settings,
        { request, mode: settings.mode, chosenByCaller: p.chosenByAgent },
        // The agent puts the link where it belongs: the tool returns it instead of inserting it.
        { insert: 'none', saveAs: { outputFolder: p.folder, explicitFolder: true, fileName: p.fileName }, quiet: true },
        { signal: controller.signal, onError: (m) => errors.push(m) },
      );
      if (token.isCancellationRequested) throw new vscode.CancellationError();
      if (!outcome) {
        const why = errors.join('\n') || 'it was stopped before the request was sent (for example, no API key was entered).';
        return textResult(`No image was generated and nothing was saved: ${why}`);
      }
      return textResult(describeOutcome(outcome, p));
    } finally {
      onCancel.dispose();
    }
  }

  /** The request the input asks for, with the user's settings filling what it leaves out. */
  private plan(raw: unknown): Planned {
    if (!vscode.workspace.workspaceFolders?.length) {
      return {
        ok: false,
        message:
          'No image was generated: no folder is open, and this tool saves images into the workspace. Ask the user to open a folder first.',
      };
    }
    const parsed = inputShape.safeParse(raw ?? {});
    if (!parsed.success) return { ok: false, message: refusal(parsed.error.issues[0]?.message ?? 'invalid input') };
    const input = parsed.data;
    const { settings } = readSettings();
    const model = getModel(settings.model);
    // One image unless asked: each one is billed. No previews: nobody watches a tool call's.
    const fit = fitRequest(model, input, { ...settings, n: 1, previews: 'off' }, { mode: settings.mode });
    if (fit.dropped.length) this.services.log.info(describeDropped(fit.dropped));
    const userSize = defaultSize(model, settings.size);
    const plan: Plan = {
      model,
      prompt: input.prompt,
      size: input.size ?? userSize,
      ...fit.options,
      n: fit.options.n ?? 1,
      folder: input.folder ?? settings.outputFolder,
      fileName: input.fileName,
      chosenByAgent: [],
    };
    const valid = validateRequest(requestOf(plan));
    if (!valid.ok) return { ok: false, message: `${refusal(englishMessage(valid.error))}\n${allowedFor(model)}` };
    // As it will be sent (the size as the schema writes it), so the confirmation prices what goes out.
    plan.size = valid.value.size ?? plan.size;
    // VS Code's confirmation can be allowed once for all later calls: an agent's choice that costs more than the
    // user's settings would, with no price to compare, is asked about again in the cost question.
    plan.chosenByAgent = [
      ...(input.n !== undefined && plan.n > 1 ? ['n'] : []),
      ...(input.size !== undefined && sizeAsSent(userSize) !== plan.size ? ['size'] : []),
      ...(input.quality !== undefined && plan.quality !== undefined && plan.quality !== settings.quality ? ['quality'] : []),
    ].map((name) => vscode.l10n.t('{0} (chat agent)', name));
    if (input.folder === undefined) {
      const folder = checkOutputFolder(plan.folder);
      if (!folder.ok) return { ok: false, message: refusal(`${folder.message} Pass a folder input such as "images" instead.`) };
    }
    const gateway = normalizeBaseUrl(settings.baseUrl);
    if (!gateway.ok) {
      return {
        ok: false,
        message: `No image was generated: the image gateway is not set up (${englishMessage(gateway.error)}). Ask the user to set "gptImage.baseUrl" in their user settings and store a key with "GPT Image: Set API Key".`,
      };
    }
    plan.cost = estimateCost(model.id, plan.size, plan.n, readPrices(this.services.log), 0, plan.quality);
    return { ok: true, plan };
  }
}

/** The request a plan sends: the fitted options, nothing of the plan's own (folder, file name, cost). */
function requestOf(p: Plan): GenerateRequest {
  const { prompt, size, quality, outputFormat, n, background, moderation, outputCompression, user } = p;
  return { model: p.model.id, prompt, size, quality, outputFormat, n, background, moderation, outputCompression, user };
}

export function registerImageTool(services: Services): vscode.Disposable {
  return vscode.lm.registerTool(IMAGE_TOOL_NAME, new ImageTool(services));
}

function textResult(text: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
}

function refusal(problem: string): string {
  return `No image was generated and nothing was spent. ${problem}`;
}

/** The user's size when the model takes it, else auto, else the model's first size. */
function defaultSize(model: ModelInfo, preferred: string): string {
  const fits = (size: string) => validateRequest({ model: model.id, prompt: 'x', size }).ok;
  return [preferred, 'auto', ...model.sizes.map((s) => s.size)].find(fits) ?? preferred;
}

/** Every allowed value for the model, sizes grouped by orientation so a fitting ratio is easy to pick. */
function allowedFor(model: ModelInfo): string {
  const lines = [`Allowed with the user's model ${model.id}:`];
  if (model.allowsAuto) lines.push('- size auto: the model picks the size');
  for (const orientation of ['landscape', 'square', 'portrait'] as const) {
    const sizes = model.sizes.filter((s) => s.orientation === orientation);
    if (sizes.length)
      lines.push(`- ${orientation} sizes: ${sizes.map((s) => `${s.size} (${s.ratio}${s.tier ? `, ${s.tier}` : ''})`).join(', ')}`);
  }
  if (model.allowsCustomSize) lines.push('- or a custom WIDTHxHEIGHT: multiples of 16, ratio up to 3:1, at most 3840x2160');
  lines.push(model.qualities.length ? `- quality: ${model.qualities.join(', ')}` : '- quality: leave it out');
  lines.push(`- n: 1 to ${model.maxN}`);
  lines.push(model.formats.length ? `- outputFormat: ${model.formats.join(', ')}` : '- outputFormat: leave it out (PNG is returned)');
  if (model.takes.includes('background')) lines.push('- background: auto, opaque, or transparent (with outputFormat png or webp)');
  if (model.takes.includes('outputCompression')) lines.push('- outputCompression: 0 to 100, for jpeg and webp');
  lines.push('Correct the input and call the tool again.');
  return lines.join('\n');
}

function confirmation(p: Plan): vscode.MarkdownString {
  const entry = describeSize(p.size);
  const sizeText = entry ? `${p.size} (${[entry.ratio, entry.orientation, entry.tier].filter(Boolean).join(', ')})` : p.size;
  const folder = checkOutputFolder(p.folder);
  const where = `${folder.ok && folder.segments.length ? folder.segments.join('/') : '.'}/${p.fileName ? ` (${p.fileName})` : ''}`;
  const cost =
    p.cost === undefined
      ? vscode.l10n.t('unknown')
      : vscode.l10n.t('about ${0} (from gptImage.prices)', p.cost.toFixed(p.cost < 1 ? 4 : 2));
  const rows: [string, string][] = [
    [vscode.l10n.t('Prompt'), oneLine(p.prompt, 600)],
    [vscode.l10n.t('Model'), p.model.id],
    [vscode.l10n.t('Size'), sizeText],
    [vscode.l10n.t('Quality'), p.quality ?? vscode.l10n.t('model default')],
    [vscode.l10n.t('Images'), String(p.n)],
    ...(p.outputFormat ? [[vscode.l10n.t('Format'), p.outputFormat] as [string, string]] : []),
    ...(p.background ? [[vscode.l10n.t('Background'), p.background] as [string, string]] : []),
    [vscode.l10n.t('Saved to'), where],
    [vscode.l10n.t('Estimated cost'), cost],
  ];
  const md = new vscode.MarkdownString();
  for (const [label, value] of rows) {
    // Values (the prompt above all) come from the model: escaped so they cannot add links or formatting.
    md.appendMarkdown(`- **${label}:** ${value.replace(/[\\`*_{}[\]()<>#+\-.!|~&$]/g, '\\$&')}\n`);
  }
  return md;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function describeOutcome(outcome: GenerateOutcome, p: Plan): string {
  const alt = altText(p.prompt);
  const lines = [
    `Generated ${outcome.images.length} image(s) with ${p.model.id} and saved them in the workspace (paths relative to the workspace root):`,
  ];
  for (const image of outcome.images) {
    const uri = vscode.Uri.parse(image.uri);
    const root = vscode.workspace.getWorkspaceFolder(uri);
    const path = root ? relativePath(root.uri.path, uri.path) : uri.fsPath;
    lines.push(`- ${path} (${image.width}x${image.height} ${image.format})`, `  Markdown: ${formatImageLink('markdown', { path, alt })}`);
  }
  lines.push(
    'Insert the Markdown link where the image belongs; in a document outside the workspace root, make the path relative to that document.',
  );
  return lines.join('\n');
}
