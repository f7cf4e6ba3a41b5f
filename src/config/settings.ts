import * as vscode from 'vscode';
import * as z from 'zod/v4-mini';
import { getModel, sizeAsSent } from '../core/catalog';
import { OPTION_DEFAULTS, option } from '../core/options';
import type { GenerateRequest } from '../core/request';
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

/**
 * The settings that drive what a request costs, each with whether a request carries a given value of it (n as the
 * model caps it; previews as its partial images).
 */
const COST_SETTINGS: Readonly<Partial<Record<keyof Settings, (request: GenerateRequest, value: unknown) => boolean>>> = {
  // As the request check leaves them: the model id trimmed, the size as the schema writes it.
  model: (r, v) => typeof v === 'string' && r.model === v.trim(),
  size: (r, v) => typeof v === 'string' && r.size === sizeAsSent(v.trim()),
  quality: (r, v) => r.quality === v,
  n: (r, v) => typeof v === 'number' && (r.n ?? 1) === Math.min(v, getModel(r.model).maxN),
  previews: (r, v) => r.partialImages !== undefined && String(r.partialImages) === v,
  inputFidelity: (r, v) => r.inputFidelity === v,
};

/**
 * The cost settings ("gptImage.n", …) whose value this request carries and the user did not set: the open
 * workspace's or one of its folders' (only when trusted: VS Code ignores them elsewhere, package.json
 * `restrictedConfigurations`), or a default another extension's `configurationDefaults` changed. A request the
 * user's own value would have made too (a workspace restating it) is not counted.
 */
export function costSettingsChosenElsewhere(request: GenerateRequest): string[] {
  const trusted = vscode.workspace.isTrusted;
  const scopes = [undefined, ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri)];
  return Object.entries(COST_SETTINGS)
    .filter(([key, carries]) =>
      scopes.some((scope) => {
        const info = vscode.workspace.getConfiguration(SECTION, scope).inspect(key);
        // The user's own value (or ours, where the user set none): a request it would have made too costs nothing more.
        const own = info?.globalValue ?? DEFAULTS[key as keyof Settings];
        const values = [
          info?.defaultValue === DEFAULTS[key as keyof Settings] ? undefined : info?.defaultValue,
          ...(trusted
            ? [info?.workspaceValue, info?.workspaceFolderValue, info?.workspaceLanguageValue, info?.workspaceFolderLanguageValue]
            : []),
        ];
        return !carries(request, own) && values.some((v) => v !== undefined && carries(request, v));
      }),
    )
    .map(([key]) => `${SECTION}.${key}`);
}

export interface SettingsRead {
  settings: Settings;
  /** One line per invalid value: the setting's full name and what it must be. The default is used instead. */
  problems: string[];
}

export function readSettings(scope?: vscode.Uri): SettingsRead {
  return read(scope, (key) => USER_ONLY.has(key));
}

/**
 * The user's own settings only, none of a workspace's: for what outlives the workspace, such as the studio's form,
 * which is kept across windows (a repository's model must not follow the user into every other one).
 */
export function readUserSettings(): SettingsRead {
  return read(undefined, () => true);
}

function read(scope: vscode.Uri | undefined, userOnly: (key: keyof Settings) => boolean): SettingsRead {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULTS) as (keyof Settings)[]) {
    // The user's own value, else ours: not inspect()'s defaultValue, which another extension's
    // `configurationDefaults` can change.
    const value = userOnly(key) ? (config.inspect(key)?.globalValue ?? DEFAULTS[key]) : config.get(key, DEFAULTS[key]);
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
