// The web extension host has no local disk: every file goes through workspace.fs (see localDisk.ts).
import type { LocalDisk } from './localDisk';

export type { LocalDisk } from './localDisk';
export const localDisk: LocalDisk | undefined = undefined;
