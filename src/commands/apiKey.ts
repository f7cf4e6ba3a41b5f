// GPT Image: Set API Key / Clear API Key: the key for the configured gateway's origin, in secret storage.
import * as vscode from 'vscode';
import { readSettings } from '../config/settings';
import { keyOrigin } from '../services/gateway';
import { ApiKeys } from '../services/apiKeys';
import type { Services } from '../services/services';

export async function setApiKey(services: Services): Promise<boolean> {
  const origin = await keyOrigin(readSettings().settings);
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
  const origin = await keyOrigin(readSettings().settings);
  if (!origin) return false;
  await services.keys.delete(origin);
  services.log.info(`API key removed for ${origin}`);
  void vscode.window.showInformationMessage(vscode.l10n.t('GPT Image: API key removed for {0}.', origin));
  return true;
}
