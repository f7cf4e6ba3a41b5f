// The generation service: every entry point (the palette and editor commands, the Explorer edit, the
// studio, the chat tool) gathers what it needs and calls generate(); this checks the request once,
// refuses a bad destination before anything is spent, finds the gateway and runs the one pipeline.
import * as vscode from 'vscode';
import { generateImages } from '../core/client';
import { editImages, validateEditRequest, type EditFile } from '../core/edits';
import { parentOf } from '../core/historyEntry';
import type { InsertStyle } from '../core/options';
import { validateRequest, type GenerateRequest } from '../core/request';
import { userText } from '../services/userText';
import { generateImagesAsync } from '../core/tasks';
import type { Settings } from '../config/settings';
import type { InsertTarget } from '../editor/insertImages';
import { resolveGateway } from '../services/gateway';
import type { Services } from '../services/services';
import { targetFolderProblem } from '../workspace/targets';
import { runImageJob, taskRequest, type GenerateOutcome, type ImageCall, type RunOptions, type SaveAs } from './imageJob';

export type { GenerateOutcome, RunOptions } from './imageJob';

/** What to make: a request not yet checked, and for an edit its images (and mask). */
export interface ImageOrder {
  request: GenerateRequest;
  edit?: { images: EditFile[]; mask?: EditFile; sources?: readonly string[] };
  /** The history entry whose result this order refines; by default the one that saved the edit's first source. */
  parent?: string;
  /** How a generation is sent: one request, or a polled task. Edits are always one request. */
  mode: Settings['mode'];
  /**
   * What drives the cost that the caller chose and the user did not (a chat agent's n, size or quality), named
   * for the cost question: a request of unknown cost carrying any is asked about, as one a workspace chose.
   */
  chosenByCaller?: readonly string[];
}

/** Where the result goes. */
export interface Destination {
  /** The document and selection a link is written at; none for the studio, chat and edits. */
  target?: InsertTarget;
  insert: InsertStyle;
  saveAs: SaveAs;
  /** Open the saved files when done (edits); with neither this nor `quiet`, a notification says where they went. */
  openWhenDone?: boolean;
  /** The caller shows the result itself (the studio, chat): no "saved" notification. */
  quiet?: boolean;
}

export async function generate(
  services: Services,
  settings: Settings,
  order: ImageOrder,
  destination: Destination,
  run: RunOptions = {},
): Promise<GenerateOutcome | undefined> {
  const tell = (message: string) => {
    services.log.warn(message);
    if (run.onError) run.onError(message);
    else void vscode.window.showErrorMessage(message);
  };
  const { edit } = order;
  const valid = edit ? validateEditRequest({ ...order.request, ...edit }) : validateRequest(order.request);
  if (!valid.ok) return void tell(vscode.l10n.t('GPT Image: {0}', userText(valid.error)));

  // A bad destination (outside, through a symbolic link, a file) is refused before anything is spent on the request.
  const folderProblem = await targetFolderProblem({ document: destination.target?.document, ...destination.saveAs });
  if (folderProblem) return void tell(`GPT Image: ${folderProblem}`);

  const gateway = await resolveGateway(settings, services.keys, services.log, run.onError);
  if (!gateway) return undefined;

  // A polled task takes fewer fields: what it leaves out is neither sent, priced nor recorded as sent.
  const request = order.mode === 'async' && !edit ? taskRequest(services, valid.value) : valid.value;
  // Whichever way an edit starts (studio, Explorer, Show Generation Info, chat), editing a result continues its lineage.
  const parent = order.parent ?? (edit?.sources ? parentOf(await services.history.all(), edit.sources) : undefined);
  return runImageJob(services, {
    request,
    ...imageCalls(request, order),
    settings,
    gateway,
    target: destination.target,
    insert: destination.insert,
    saveAs: destination.saveAs,
    openWhenDone: destination.openWhenDone,
    announce: !destination.openWhenDone && !destination.quiet,
    edit,
    parent,
    chosenByCaller: order.chosenByCaller,
    run,
  });
}

/** Edits go to /images/edits; generations are one request, or a polled task in async mode (offered after a gateway timeout). */
function imageCalls(request: GenerateRequest, order: ImageOrder): { call: ImageCall; asAsync?: ImageCall } {
  const { edit } = order;
  if (edit) return { call: (opts) => editImages({ ...request, images: edit.images, mask: edit.mask }, opts) };
  const asAsync: ImageCall = (opts) => generateImagesAsync(request, opts);
  return order.mode === 'async' ? { call: asAsync } : { call: (opts) => generateImages(request, opts), asAsync };
}
