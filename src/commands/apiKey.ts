import * as vscode from 'vscode';
import { normalizeBaseUrl } from '../core/baseUrl';
import { userText } from '../services/userText';
import { openSetting, readSettings } from '../config/settings';
import { ApiKeys } from '../services/apiKeys';
import type { Services } from '../services/services';

/** The gateway origin keys are stored under, or undefined after telling the user what to set. */
async function currentOrigin(): Promise<string | undefined> {
  const { settings } = readSettings();
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

export async function setApiKey(services: Services): Promise<boolean> {
  const origin = await currentOrigin();
  if (!origin) return false;
  const key = await ApiKeys.prompt(origin);
  if (!key) return false;
  await services.keys.store(origin, key);
  services.log.protect(key);
  services.log.info(`API key stored for ${origin}`);
  void vscode.window.showInformationMessage(vscode.l10n.t('GPT Image: API key saved for {0}.', origin));
  return true;
}

export async function clearApiKey(services: Services): Promise<boolean> {
  const origin = await currentOrigin();
  if (!origin) return false;
  await services.keys.delete(origin);
  services.log.info(`API key removed for ${origin}`);
  void vscode.window.showInformationMessage(vscode.l10n.t('GPT Image: API key removed for {0}.', origin));
  return true;
}
