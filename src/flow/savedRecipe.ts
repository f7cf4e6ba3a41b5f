// The bytes saved for one image: with its recipe embedded (gptImage.embedMetadata), else as received.
// Embedding may fail (an unusual file, a recipe too long for one packet): the image is then saved as
// received and a log line says why; an image is never lost for its metadata.
import * as vscode from 'vscode';
import type { GeneratedImage, GenerationResult } from '../core/client';
import { gatewayHost, type Recipe } from '../core/recipe';
import { embedRecipe } from '../core/xmpPacket';
import type { Log } from '../services/log';
import type { ImageJob } from './imageJob';

export function savedBytes(job: ImageJob, result: GenerationResult, image: GeneratedImage, log: Log): Uint8Array {
  if (!job.settings.embedMetadata) return image.bytes;
  try {
    const embedded = embedRecipe(image.bytes, recipeFor(job, result, image));
    if (embedded.ok) {
      if (embedded.omitted.length) log.info(`the recipe was long: left out of the file's metadata: ${embedded.omitted.join(', ')}`);
      return embedded.bytes;
    }
    const why =
      embedded.reason === 'tooLong'
        ? 'the prompt is too long for one metadata packet'
        : `the ${image.format} file's structure is not one it can extend`;
    log.warn(`the recipe could not be embedded (${why}); saved as received`);
  } catch (err) {
    log.warn(`the recipe could not be embedded (${String(err)}); saved as received`);
  }
  return image.bytes;
}

function recipeFor(job: ImageJob, result: GenerationResult, image: GeneratedImage): Recipe {
  const { request, edit } = job;
  const self = vscode.extensions.getExtension('gpt-image-studio.gpt-image-studio')?.packageJSON as
    { name?: string; version?: string } | undefined;
  const host = gatewayHost(job.gateway.apiRoot);
  return {
    prompt: request.prompt,
    ...(image.revisedPrompt ? { revisedPrompt: image.revisedPrompt } : {}),
    model: result.model ?? request.model,
    ...optional('size', result.size ?? request.size),
    ...optional('quality', request.quality),
    outputFormat: image.format,
    ...optional('background', request.background),
    ...optional('outputCompression', request.outputCompression),
    n: request.n ?? 1,
    ...optional('host', host),
    time: new Date().toISOString(),
    generator: { name: self?.name ?? 'gpt-image-studio', version: self?.version ?? '0.0.0' },
    ...(edit ? { edit: { sources: edit.images.map((i) => i.path ?? i.name), mask: edit.mask !== undefined } } : {}),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
