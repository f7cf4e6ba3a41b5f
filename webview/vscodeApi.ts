// The one handle on the webview API: typed messages out, persisted view state.
import type { FormState, ToHost } from '../src/protocol';

interface VsCodeApi<S> {
  postMessage(message: unknown): void;
  getState(): S | undefined;
  setState(state: S): S;
}
declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

/**
 * What survives the page being reloaded (the window, or VS Code dropping the kept page). A browser workbench
 * saves it every 5 s at best (not while the window has no focus; the save it starts as the page unloads does
 * not finish), so after a window reload it can be seconds older than what the page showed. So it holds no
 * search: one cleared or changed since would come back and open the history filtered, its newest entries
 * hidden. A new page shows the whole history, as the host sends it; the form comes from whichever copy, this or
 * the host's, is newer (protocol.ts: newerForm).
 */
export interface ViewState {
  form?: FormState;
  /** The form's revision (protocol.ts: formRevision): a reload keeps this copy only if the host's is not newer. */
  formRevision?: number;
}

const api = acquireVsCodeApi<ViewState>();

export function send(message: ToHost): void {
  api.postMessage(message);
}

export function viewState(): ViewState {
  const s = api.getState();
  return s && typeof s === 'object' ? s : {};
}

export function patchState(patch: Partial<ViewState>): void {
  api.setState({ ...viewState(), ...patch });
}
