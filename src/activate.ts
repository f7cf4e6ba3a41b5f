// The extension's wiring, shared by both entry points; each gives it its host's platform.
import * as vscode from 'vscode';
import type { Network } from './core/transport';
import { steadyMemento } from './core/steadyMemento';
import { registerImageTool } from './chat/imageTool';
import { clearApiKey, setApiKey } from './commands/apiKey';
import { chooseModel } from './commands/chooseModel';
import { refineCommand } from './commands/refine';
import { showInfoCommand } from './commands/showInfo';
import { Commands } from './config/commandIds';
import { editImageCommand } from './commands/editImage';
import { generateCommand, type GenerateHooks } from './commands/generate';
import type { GenerateOutcome } from './flow/generation';
import { ApiKeys } from './services/apiKeys';
import { ChatModel } from './services/chatModel';
import { Log } from './services/log';
import { RunningStatus } from './services/runningStatus';
import type { Services } from './services/services';
import { ComparePanel } from './sidebar/comparePanel';
import { PreviewPanel } from './sidebar/previewPanel';
import { registerStudio, type StudioTap } from './sidebar/studioView';
import { HistoryStore } from './workspace/history';

/** What integration tests reach through `extension.exports`; undefined outside test mode. */
export interface TestApi {
  services: Services;
  generate: (args: unknown, hooks?: GenerateHooks) => Promise<GenerateOutcome | undefined>;
  /** The command's preview panel, as the last run left it. */
  previewPanel: PreviewPanel['state'];
  /** The studio's messages: those posted to the page, and a way in as from the page. */
  studio: StudioTap;
  /** The edit command's compare panel: offers made, and what it shows. */
  comparePanel: ComparePanel['state'];
}

/** What differs between the extension hosts: Node's (src/extension.ts) and the browser's (src/extension.web.ts). */
export interface Platform {
  network: Network;
}

/** Wiring only: no network, no disk. Everything registered is disposed with the extension. */
export function activateWith(context: vscode.ExtensionContext, platform: Platform): TestApi | undefined {
  const started = performance.now();
  const log = new Log();
  const services: Services = {
    log,
    keys: new ApiKeys(context.secrets),
    history: new HistoryStore(context.globalStorageUri),
    // VS Code's echo of an earlier globalState write can undo a later one (see steadyMemento).
    state: steadyMemento(context.globalState, (key) =>
      log.warn(`a setting kept between sessions (${key}) could not be stored: VS Code kept undoing it`),
    ),
    running: new RunningStatus(),
    chat: new ChatModel(log),
    network: platform.network,
  };
  // The commands' streamed previews show beside the editor; the studio shows its own on the job's card.
  const previews = new PreviewPanel(context.extensionUri);
  const studio = registerStudio(context, services);
  const compare = new ComparePanel(context.extensionUri);
  const previewed = async <T extends GenerateOutcome>(run: (hooks: GenerateHooks) => Promise<T | undefined>, hooks: GenerateHooks = {}) => {
    const follow = previews.follow();
    const onPreview = hooks.onPreview;
    let outcome: T | undefined;
    try {
      outcome = await run({
        ...hooks,
        onPreview: (image) => {
          follow.hooks.onPreview?.(image);
          onPreview?.(image);
        },
      });
    } finally {
      // Whatever happened, the panel does not go on saying "still drawing".
      follow.finish(outcome);
    }
    return outcome;
  };
  // An edited image is open: comparing it with its source is offered, not waited for.
  const offerCompare = async <T extends Parameters<ComparePanel['offer']>[0]>(running: Promise<T | undefined>) => {
    const outcome = await running;
    if (outcome) void compare.offer(outcome);
    return outcome;
  };
  context.subscriptions.push(
    log,
    services.history,
    services.running,
    services.chat,
    previews,
    compare,
    vscode.commands.registerCommand(Commands.generate, (args?: unknown) => previewed((hooks) => generateCommand(services, args, hooks))),
    vscode.commands.registerCommand(Commands.editImage, (clicked?: unknown, selected?: unknown) =>
      offerCompare(previewed((hooks) => editImageCommand(services, clicked, selected, hooks))),
    ),
    vscode.commands.registerCommand(Commands.setApiKey, () => setApiKey(services)),
    vscode.commands.registerCommand(Commands.clearApiKey, () => clearApiKey(services)),
    vscode.commands.registerCommand(Commands.showLog, () => log.show()),
    vscode.commands.registerCommand(Commands.chooseModel, () => chooseModel(services)),
    vscode.commands.registerCommand(Commands.showInfo, (clicked?: unknown) => showInfoCommand(services, clicked)),
    vscode.commands.registerCommand(Commands.refine, (clicked?: unknown) =>
      offerCompare(previewed((hooks) => refineCommand(services, clicked, hooks))),
    ),
    registerImageTool(services),
    ...studio.disposables,
  );
  log.info(`activated in ${(performance.now() - started).toFixed(1)} ms`);
  return context.extensionMode === vscode.ExtensionMode.Test
    ? {
        services,
        generate: (args, hooks) => previewed((merged) => generateCommand(services, args, merged), hooks),
        previewPanel: previews.state,
        studio: studio.tap!,
        comparePanel: compare.state,
      }
    : undefined;
}
