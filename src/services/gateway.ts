// The one place a base URL becomes a gateway to call: normalised once, with the key stored for its origin.
import * as vscode from 'vscode';
import { normalizeBaseUrl } from '../core/baseUrl';
import { userText } from './userText';
import type { Settings } from '../config/settings';
import { openSetting } from '../config/settings';
import { ApiKeys } from './apiKeys';
import type { Log } from './log';

export interface Gateway {
  /** What the client is given as base URL (already normalised, ends in /v1). */
  apiRoot: string;
  origin: string;
  key: string;
}

/**
 * Turns gptImage.baseUrl plus the stored key into a gateway to call, asking for what is missing.
 * Returns undefined (after telling the user why) when the flow cannot go on.
 * With `tell`, a problem goes there instead of a notification, whose button would be awaited forever.
 */
export async function resolveGateway(
  settings: Settings,
  keys: ApiKeys,
  log: Log,
  tell?: (message: string) => void,
): Promise<Gateway | undefined> {
  if (!settings.baseUrl.trim()) {
    const message = vscode.l10n.t(
      'GPT Image: no gateway is set. Set "gptImage.baseUrl" in your user settings to your provider\'s base URL.',
    );
    if (tell) return void tell(message);
    const open = vscode.l10n.t('Open Setting');
    if ((await vscode.window.showWarningMessage(message, open)) === open) await openSetting('baseUrl');
    return undefined;
  }
  const url = normalizeBaseUrl(settings.baseUrl);
  if (!url.ok) {
    const message = vscode.l10n.t('GPT Image: gptImage.baseUrl is not usable: {0}', userText(url.error));
    if (tell) return void tell(message);
    const open = vscode.l10n.t('Open Setting');
    if ((await vscode.window.showErrorMessage(message, open)) === open) await openSetting('baseUrl');
    return undefined;
  }
  let key = await keys.get(url.origin);
  if (!key) {
    key = await ApiKeys.prompt(url.origin);
    if (!key) return undefined;
    await keys.store(url.origin, key);
    log.info(`API key stored for ${url.origin}`);
  }
  log.protect(key);
  return { apiRoot: url.apiRoot, origin: url.origin, key };
}

/** The configured gateway and its stored key, asking nothing: undefined when the base URL is unusable, `key` absent when none is stored. */
export async function storedGateway(
  settings: Settings,
  keys: ApiKeys,
  log: Log,
): Promise<(Omit<Gateway, 'key'> & { key?: string }) | undefined> {
  const url = normalizeBaseUrl(settings.baseUrl);
  if (!url.ok) return undefined;
  const key = await keys.get(url.origin);
  log.protect(key);
  return { apiRoot: url.apiRoot, origin: url.origin, key };
}

/** The gateway origin keys are stored under, or undefined after telling the user what to set. */
export async function keyOrigin(settings: Settings): Promise<string | undefined> {
  const url = normalizeBaseUrl(settings.baseUrl);
  if (url.ok) return url.origin;
  const open = vscode.l10n.t('Open Setting');
  const pick = await vscode.window.showWarningMessage(
    settings.baseUrl.trim()
      ? vscode.l10n.t('GPT Image: gptImage.baseUrl is not usable: {0}', userText(url.error))
      : vscode.l10n.t('GPT Image: set "gptImage.baseUrl" first; the key is stored for that gateway only.'),
    open,
  );
  if (pick === open) await openSetting('baseUrl');
  return undefined;
}
