// The question before a costly request. runImageJob asks it, so the command, the context menus,
// the studio and the chat tool all stop here before anything is sent.
import * as vscode from 'vscode';
import { estimateCost } from '../core/catalog';
import { checkCost, type CostQuestion } from '../core/cost';
import type { GenerateRequest } from '../core/request';
import { readPrices, type Settings } from '../config/settings';
import type { Services } from '../services/services';

/** The request's estimated USD (undefined: no price known), from list prices and the user's own only. */
export function estimateOf(services: Services, request: GenerateRequest): number | undefined {
  // Partial images are billed too (fitRequest leaves them out of a polled task).
  const { model, size = 'auto', n = 1, partialImages, quality } = request;
  return estimateCost(model, size, n, readPrices(services.log), partialImages, quality);
}

/**
 * Asks when the estimate is above the user's `gptImage.confirmAbove`. Returns the message for a request the
 * user did not confirm, undefined to go ahead. Prices and threshold come from user settings only.
 */
export async function costDeclined(
  services: Services,
  request: GenerateRequest,
  settings: Settings,
  estimate: number | undefined,
): Promise<string | undefined> {
  const size = request.size ?? 'auto';
  const n = request.n ?? 1;
  const check = checkCost(estimate, settings.confirmAbove);
  if (check.kind === 'unknown') services.log.info(`cost unknown for model=${request.model} size=${size} n=${n} (no price): not asked`);
  if (check.kind !== 'ask') return undefined;
  const question: CostQuestion = {
    model: request.model,
    size,
    quality: request.quality,
    n,
    cost: check.cost,
    confirmAbove: settings.confirmAbove,
  };
  // A question that cannot be shown is a no: nothing is sent without a yes.
  const yes = await (services.confirmCost ?? askModal)(question).catch((err: unknown) => {
    services.log.warn(`the cost question could not be shown: ${String(err)}`);
    return false;
  });
  services.log.info(
    `estimated cost $${usd(check.cost)} is above gptImage.confirmAbove $${usd(settings.confirmAbove)}: ${yes ? 'confirmed' : 'declined, nothing sent'}`,
  );
  return yes
    ? undefined
    : vscode.l10n.t('GPT Image: not generated: the estimated cost (about ${0}) was not confirmed. Nothing was sent.', usd(check.cost));
}

async function askModal(q: CostQuestion): Promise<boolean> {
  const go = vscode.l10n.t('Generate');
  const detail = [
    `${vscode.l10n.t('Model')}: ${q.model}`,
    `${vscode.l10n.t('Size')}: ${q.size}`,
    `${vscode.l10n.t('Quality')}: ${q.quality ?? vscode.l10n.t('model default')}`,
    `${vscode.l10n.t('Images')}: ${q.n}`,
    `${vscode.l10n.t('Estimated cost')}: $${usd(q.cost)}`,
    '',
    vscode.l10n.t('You are asked above ${0} (setting "gptImage.confirmAbove"; 0 never asks).', usd(q.confirmAbove)),
  ].join('\n');
  const message = vscode.l10n.t('GPT Image: this request is estimated to cost about ${0}. Send it?', usd(q.cost));
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, go)) === go;
}

function usd(value: number): string {
  return value.toFixed(value < 1 ? 4 : 2);
}
