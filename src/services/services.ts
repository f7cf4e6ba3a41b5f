import type * as vscode from 'vscode';
import type { HistoryStore } from '../workspace/history';
import type { ApiKeys } from './apiKeys';
import type { Log } from './log';
import type { RunningStatus } from './runningStatus';

/** What commands need from the extension, made once in activate() and passed down (no globals). */
export interface Services {
  readonly log: Log;
  readonly keys: ApiKeys;
  readonly history: HistoryStore;
  readonly state: vscode.Memento;
  readonly running: RunningStatus;
}
