// The model ids the configured gateway offers (GET /v1/models), for the studio's model field.
import * as vscode from 'vscode';
import { readSettings } from '../config/settings';
import { listModels } from '../core/client';
import { ImageApiError } from '../core/errors';
import { resolveGateway } from '../flow/gateway';
import type { Services } from '../services/services';
import { cleanModelIds } from './studioState';

/** Undefined when there is no gateway or the call failed (the user has been told). */
export async function fetchModelIds(services: Services): Promise<string[] | undefined> {
  const { settings } = readSettings();
  const gateway = await resolveGateway(settings, services.keys, services.log);
  if (!gateway) return undefined;
  try {
    const ids = await listModels({ baseUrl: gateway.apiRoot, apiKey: gateway.key });
    services.log.info(`models: ${ids.length} listed by ${gateway.origin}`);
    return cleanModelIds(ids);
  } catch (err) {
    const message = err instanceof ImageApiError ? err.userMessage : String(err);
    services.log.error(`models: ${message}`);
    void vscode.window.showErrorMessage(services.log.clean(vscode.l10n.t("GPT Image: could not list the gateway's models: {0}", message)));
    return undefined;
  }
}
