// The benchmark's workloads: what each contender asks the sandbox for, and how often.

export interface Workload {
  id: string;
  label: string;
  model: string;
  size: string;
  n: number;
  /** Sequential generations per run (per-call overhead shows with many small ones). */
  calls: number;
  format: 'b64_json' | 'url';
  /** Timed runs after one warm-up. */
  runs: number;
}

export const WORKLOADS: Workload[] = [
  {
    id: 'a',
    label: '(a) n=1 1024×1024 b64_json',
    model: 'gpt-image-2-origin',
    size: '1024x1024',
    n: 1,
    calls: 1,
    format: 'b64_json',
    runs: 21,
  },
  {
    id: 'b',
    label: '(b) n=4 3840×2160 b64_json',
    model: 'gpt-image-2-origin',
    size: '3840x2160',
    n: 4,
    calls: 1,
    format: 'b64_json',
    runs: 5,
  },
  { id: 'c', label: '(c) n=4 3840×2160 url', model: 'gpt-image-2-origin', size: '3840x2160', n: 4, calls: 1, format: 'url', runs: 5 },
  { id: 'd', label: '(d) 20 × n=1 256×256 b64_json', model: 'dall-e-2', size: '256x256', n: 1, calls: 20, format: 'b64_json', runs: 11 },
];

/** A tiny generation that loads every code path a contender uses, without big allocations. */
export const TINY: Workload = {
  id: 'tiny',
  label: 'tiny',
  model: 'dall-e-2',
  size: '256x256',
  n: 1,
  calls: 1,
  format: 'b64_json',
  runs: 1,
};

/** `held` is the baseline holding every image until all are in, as our client does (for reference only). */
export const CONTENDERS = ['baseline', 'sdk', 'ours', 'held'] as const;
export type Contender = (typeof CONTENDERS)[number];

export interface Job {
  contender: Contender;
  workload: Workload;
  baseUrl: string;
  key: string;
  /** time: a warm-up, then timed runs on request. memory: a tiny warm-up, then one run in a fresh process. */
  mode: 'time' | 'memory';
}

export interface MemoryResult {
  /** Bytes of image files written by the run. */
  decodedBytes: number;
  startRss: number;
  peakRss: number;
}

export interface TimeResult {
  ms: number;
  decodedBytes: number;
}

export const PROMPT = 'A lighthouse on a cliff at dawn, watercolor';
