import type * as vscode from 'vscode';
import type { CostQuestion } from '../core/cost';
import type { Network } from '../core/transport';
import type { HistoryStore } from '../workspace/history';
import type { ApiKeys } from './apiKeys';
import type { ChatModel } from './chatModel';
import type { Log } from './log';
import type { RunningStatus } from './runningStatus';

/** What commands need from the extension, made once in activate() and passed down (no globals). */
export interface Services {
  readonly log: Log;
  readonly keys: ApiKeys;
  readonly history: HistoryStore;
  readonly state: vscode.Memento;
  readonly running: RunningStatus;
  /** The user's own chat model, for Improve prompt and described alt text. */
  readonly chat: ChatModel;
  /**
   * The host's network (src/extension.ts: Node's; src/extension.web.ts: the browser's fetch). Integration
   * tests set its resolver to map test names.
   */
  readonly network: Network;
  /**
   * Answers the question before a costly request instead of the modal dialog. Unset in use; integration
   * tests set it, since the test host refuses modal dialogs.
   */
  confirmCost?: (question: CostQuestion) => Promise<boolean>;
  /**
   * How fast a request's own waits run: its deadline, its retry waits and its task polls. Unset in use (real
   * time); integration tests that wait for a deadline or a poll set it below 1, so the wait, not its length, is tested.
   */
  timeScale?: number;
}
