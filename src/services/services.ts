import type * as vscode from 'vscode';
import type { Resolver } from '../core/addressGuard';
import type { CostQuestion } from '../core/cost';
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
  /** How image-URL host names are resolved: the system's DNS unless set (integration tests map test names). */
  readonly network: { resolver?: Resolver };
  /**
   * Answers the question before a costly request instead of the modal dialog. Unset in use; integration
   * tests set it, since the test host refuses modal dialogs.
   */
  confirmCost?: (question: CostQuestion) => Promise<boolean>;
}
