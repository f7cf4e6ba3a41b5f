// The question before a costly request. runImageJob asks it, so the command, the context menus,
// the studio and the chat tool all stop here before anything is sent.
import * as vscode from 'vscode';
import { estimateCost } from '../core/catalog';
import { checkCost, type CostQuestion } from '../core/cost';
import type { GenerateRequest } from '../core/request';
import { costSettingsChosenElsewhere, readPrices, type Settings } from '../config/settings';
import type { Services } from '../services/services';

/** The request's estimated USD (undefined: no price known), from list prices and the user's own only. */
export function estimateOf(services: Services, request: GenerateRequest): number | undefined {
  // Partial images are billed too (fitRequest leaves them out of a polled task).
  const { model, size = 'auto', n = 1, partialImages, quality } = request;
  return estimateCost(model, size, n, readPrices(services.log), partialImages, quality);
}

/**
 * Asks when the estimate is above the user's `gptImage.confirmAbove`, or when no price is known and the request
 * carries a choice of what drives the cost that the user did not make: the workspace's, another extension's
 * default, or the caller's `chosenByCaller` (a chat agent's input). Returns the message for a request the user did
 * not confirm, undefined to go ahead. Prices and threshold come from user settings only.
 */
export async function costDeclined(
  services: Services,
  request: GenerateRequest,
  settings: Settings,
  estimate: number | undefined,
  chosenByCaller: readonly string[] = [],
): Promise<string | undefined> {
  const size = request.size ?? 'auto';
  const n = request.n ?? 1;
  const chosen = [...costSettingsChosenElsewhere(request), ...chosenByCaller];
  const check = checkCost(estimate, settings.confirmAbove, chosen.length > 0);
  if (check.kind === 'unknown') services.log.info(`cost unknown for model=${request.model} size=${size} n=${n} (no price): not asked`);
  if (check.kind !== 'ask') return undefined;
  const question: CostQuestion = {
    model: request.model,
    size,
    quality: request.quality,
    n,
    cost: check.cost,
    confirmAbove: settings.confirmAbove,
    ...(chosen.length ? { chosenElsewhere: chosen } : {}),
  };
  // A question that cannot be shown is a no: nothing is sent without a yes.
  const yes = await (services.confirmCost ?? askModal)(question).catch((err: unknown) => {
    services.log.warn(`the cost question could not be shown: ${String(err)}`);
    return false;
  });
  const why =
    check.cost === undefined
      ? `cost unknown and ${chosen.join(', ')} not chosen by the user`
      : `estimated cost $${usd(check.cost)} is above gptImage.confirmAbove $${usd(settings.confirmAbove)}`;
  services.log.info(`${why}: ${yes ? 'confirmed' : 'declined, nothing sent'}`);
  if (yes) return undefined;
  return check.cost === undefined
    ? vscode.l10n.t('GPT Image: not generated: the request, whose cost is not known, was not confirmed. Nothing was sent.')
    : vscode.l10n.t('GPT Image: not generated: the estimated cost (about ${0}) was not confirmed. Nothing was sent.', usd(check.cost));
}

async function askModal(q: CostQuestion): Promise<boolean> {
  const go = vscode.l10n.t('Generate');
  const detail = [
    `${vscode.l10n.t('Model')}: ${q.model}`,
    `${vscode.l10n.t('Size')}: ${q.size}`,
    `${vscode.l10n.t('Quality')}: ${q.quality ?? vscode.l10n.t('model default')}`,
    `${vscode.l10n.t('Images')}: ${q.n}`,
    `${vscode.l10n.t('Estimated cost')}: ${q.cost === undefined ? vscode.l10n.t('not known (no price for this model and size)') : `$${usd(q.cost)}`}`,
    ...(q.chosenElsewhere
      ? [vscode.l10n.t('Chosen by this workspace, an extension or a chat agent, not by you: {0}', q.chosenElsewhere.join(', '))]
      : []),
    '',
    vscode.l10n.t('You are asked above ${0} (setting "gptImage.confirmAbove"; 0 never asks).', usd(q.confirmAbove)),
  ].join('\n');
  const message =
    q.cost === undefined
      ? vscode.l10n.t("GPT Image: this request's cost is not known, and you did not choose what it asks for. Send it?")
      : vscode.l10n.t('GPT Image: this request is estimated to cost about ${0}. Send it?', usd(q.cost));
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, go)) === go;
}

function usd(value: number): string {
  return value.toFixed(value < 1 ? 4 : 2);
}
