import * as vscode from 'vscode';
import * as z from 'zod/v4-mini';
import { OPTION_DEFAULTS, option } from '../core/options';
import { defaultConfirmAbove, pricesForCheck } from '../core/cost';
import { pricesSchema, type Prices } from '../core/cost';

export const SECTION = 'gptImage';

// The request options come from their one definition (src/core/options.ts); the rest are settings only.
const schema = z.object({
  baseUrl: z.string(),
  model: option.model,
  size: option.size,
  askForSize: z.boolean(),
  quality: option.quality,
  outputFormat: option.outputFormat,
  n: option.n,
  outputFolder: z.string(),
  insert: option.insert,
  timeoutSeconds: z.int().check(z.minimum(10), z.maximum(3600)),
  mode: option.mode,
  confirmAbove: z.number().check(z.minimum(0)),
  background: option.background,
  moderation: option.moderation,
  outputCompression: option.outputCompression,
  inputFidelity: option.inputFidelity,
  previews: option.previews,
  user: option.user,
  streamingModels: z.array(option.model).check(z.maxLength(100)),
  embedMetadata: z.boolean(),
  altText: z.enum(['prompt', 'describe']),
});

/** The extension's settings as one typed, validated, read-only value. */
export type Settings = Readonly<z.infer<typeof schema>>;

/** package.json's setting defaults; a unit test keeps them equal. */
export const DEFAULTS: Settings = {
  ...OPTION_DEFAULTS,
  baseUrl: '',
  askForSize: true,
  outputFolder: 'images',
  timeoutSeconds: 300,
  confirmAbove: defaultConfirmAbove(),
  streamingModels: [],
  embedMetadata: true,
  altText: 'prompt',
};

/**
 * Settings that could send the key elsewhere, lift the question before a costly request, speak for the
 * user to the provider (the user id), say what the user's gateway does (which models stream) or send text to
 * the user's chat model (described alt text) are read from the user's own settings only, never a workspace's.
 */
const USER_ONLY = new Set<keyof Settings>(['baseUrl', 'timeoutSeconds', 'confirmAbove', 'user', 'streamingModels', 'altText']);

export interface SettingsRead {
  settings: Settings;
  /** One line per invalid value: the setting's full name and what it must be. The default is used instead. */
  problems: string[];
}

export function readSettings(scope?: vscode.Uri): SettingsRead {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULTS) as (keyof Settings)[]) {
    const info = config.inspect(key);
    const value = USER_ONLY.has(key) ? (info?.globalValue ?? info?.defaultValue ?? DEFAULTS[key]) : config.get(key, DEFAULTS[key]);
    const parsed = schema.shape[key].safeParse(value);
    if (parsed.success) {
      out[key] = parsed.data;
    } else {
      problems.push(
        vscode.l10n.t(
          'Setting "{0}" has an invalid value ({1}); using {2}.',
          `${SECTION}.${key}`,
          JSON.stringify(value),
          JSON.stringify(DEFAULTS[key]),
        ),
      );
      out[key] = DEFAULTS[key];
    }
  }
  return { settings: out as Settings, problems };
}

/**
 * The catalog's prices with the user's `gptImage.prices` entries laid over them; an invalid setting is ignored.
 * User settings only: a workspace must not make a request look cheap.
 */
export function readPrices(log: { warn(message: string): void }): Prices {
  const raw = vscode.workspace.getConfiguration(SECTION).inspect<unknown>('prices')?.globalValue;
  const parsed = pricesSchema.safeParse(raw ?? {});
  if (!parsed.success) log.warn('Setting "gptImage.prices" is invalid; using the built-in prices.');
  return pricesForCheck(parsed.success ? parsed.data : undefined) as Prices;
}

export function openSetting(key: keyof Settings): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.${key}`);
}
