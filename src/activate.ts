// The extension's wiring, shared by both entry points; each gives it its host's platform.
import * as vscode from 'vscode';
import type { Network } from './core/transport';
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
import { Log } from './services/log';
import { RunningStatus } from './services/runningStatus';
import type { Services } from './services/services';
import { PreviewPanel } from './sidebar/previewPanel';
import { registerStudio } from './sidebar/studioView';
import { HistoryStore } from './workspace/history';

/** What integration tests reach through `extension.exports`; undefined outside test mode. */
export interface TestApi {
  services: Services;
  generate: (args: unknown, hooks?: GenerateHooks) => Promise<GenerateOutcome | undefined>;
  /** The command's preview panel, as the last run left it. */
  previewPanel: PreviewPanel['state'];
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
    state: context.globalState,
    running: new RunningStatus(),
    network: platform.network,
  };
  // The commands' streamed previews show beside the editor; the studio shows its own on the job's card.
  const previews = new PreviewPanel(context.extensionUri);
  const previewed = async (run: (hooks: GenerateHooks) => Promise<GenerateOutcome | undefined>, hooks: GenerateHooks = {}) => {
    const follow = previews.follow();
    const onPreview = hooks.onPreview;
    let outcome: GenerateOutcome | undefined;
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
  context.subscriptions.push(
    log,
    services.history,
    services.running,
    previews,
    vscode.commands.registerCommand(Commands.generate, (args?: unknown) => previewed((hooks) => generateCommand(services, args, hooks))),
    vscode.commands.registerCommand(Commands.editImage, (clicked?: unknown, selected?: unknown) =>
      previewed((hooks) => editImageCommand(services, clicked, selected, hooks)),
    ),
    vscode.commands.registerCommand(Commands.setApiKey, () => setApiKey(services)),
    vscode.commands.registerCommand(Commands.clearApiKey, () => clearApiKey(services)),
    vscode.commands.registerCommand(Commands.showLog, () => log.show()),
    vscode.commands.registerCommand(Commands.chooseModel, () => chooseModel(services)),
    vscode.commands.registerCommand(Commands.showInfo, (clicked?: unknown) => showInfoCommand(services, clicked)),
    vscode.commands.registerCommand(Commands.refine, (clicked?: unknown) => previewed((hooks) => refineCommand(services, clicked, hooks))),
    registerImageTool(services),
    ...registerStudio(context, services),
  );
  log.info(`activated in ${(performance.now() - started).toFixed(1)} ms`);
  return context.extensionMode === vscode.ExtensionMode.Test
    ? {
        services,
        generate: (args, hooks) => previewed((merged) => generateCommand(services, args, merged), hooks),
        previewPanel: previews.state,
      }
    : undefined;
}
