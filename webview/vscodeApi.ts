// The one handle on the webview API: typed messages out, persisted view state.
import type { FormState, ToHost } from '../src/protocol';

interface VsCodeApi<S> {
  postMessage(message: unknown): void;
  getState(): S | undefined;
  setState(state: S): S;
}
declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

/** What survives the page being reloaded (the window, or VS Code dropping the kept page). */
export interface ViewState {
  form?: FormState;
  query?: string;
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
