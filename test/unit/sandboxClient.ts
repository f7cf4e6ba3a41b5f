// The client against sandbox gateways over real HTTP, set up as the client's unit tests share it: one sandbox
// answering base64 and one answering image URLs (served from its own /files/ route), the options that reach
// them, and the error a failing call ends in.
import assert from 'node:assert/strict';
import { after, before, beforeEach } from 'node:test';
import type { ClientOptions } from '../../src/core/client';
import { ImageApiError } from '../../src/core/errors';
import type { GenerateRequest } from '../../src/core/request';
import type { Network } from '../../src/core/transport';
import { startSandbox, type Sandbox } from '../../tools/sandbox/server';

/** A cheap request: the smallest size of a model without streaming. */
export const small: GenerateRequest = { model: 'dall-e-2', prompt: 'A lighthouse at dusk', size: '256x256' };

export interface Sandboxes {
  /** Answers base64. */
  sb: Sandbox;
  /** Answers image URLs. */
  urlSb: Sandbox;
}

/**
 * Registers the test file's hooks: both sandboxes started with `key` before its tests (and handed to
 * `started`), reset before each test (faults, requests, files), closed after the last.
 */
export function withSandboxes(key: string, started: (sandboxes: Sandboxes) => void): void {
  let sandboxes: Sandboxes | undefined;
  before(async () => {
    sandboxes = { sb: await startSandbox({ key }), urlSb: await startSandbox({ key, responseFormat: 'url' }) };
    started(sandboxes);
  });
  after(async () => {
    await sandboxes?.sb.close();
    await sandboxes?.urlSb.close();
  });
  beforeEach(() => {
    sandboxes?.sb.reset();
    sandboxes?.urlSb.reset();
  });
}

/** What reaches `sandbox` through `network`: its base URL and key, with a deadline no test should meet. */
export function reaching(
  sandbox: Sandbox,
  network: Network,
  timeoutMs = 10_000,
): Pick<ClientOptions, 'baseUrl' | 'apiKey' | 'network' | 'timeoutMs'> {
  return { baseUrl: sandbox.baseUrl, apiKey: sandbox.key, network, timeoutMs };
}

/** The error `run` ends in; the test fails when it succeeds or throws anything but an ImageApiError. */
export async function failure(run: Promise<unknown>): Promise<ImageApiError> {
  try {
    await run;
  } catch (err) {
    assert.ok(err instanceof ImageApiError, String(err));
    return err;
  }
  assert.fail('expected a failure');
}
