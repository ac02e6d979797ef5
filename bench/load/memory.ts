/**
 * Resident memory of the register, read from `/proc`: the gateway process and every process below it (the embedded
 * store runs as its child), because a leak in either is a leak of the service. Sampled every few seconds while load
 * runs, so the bench can report the peak and the soak can tell memory that levels off from memory that keeps growing.
 */
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Resident memory of one process in bytes, or null when it is gone (or `/proc` is not there): the whole resident
 * set, and its anonymous part. The rest is file pages mapped into the process — the embedded store's LevelDB maps
 * its table files, so pages of the data it read count as resident there although the kernel can drop them at will.
 */
export function residentBytes(pid: number): { rss: number; anonymous: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string): number | null => {
      const value = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1];
      return value === undefined ? null : Number(value) * 1024;
    };
    const rss = kib('VmRSS');
    return rss === null ? null : { rss, anonymous: kib('RssAnon') ?? rss };
  } catch {
    return null;
  }
}

function parentOf(pid: number): number | null {
  try {
    // The command name (field 2) may hold spaces and parentheses: the parent id follows the last ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(parent) ? parent : null;
  } catch {
    return null;
  }
}

/** `root` and all its descendants that are alive now. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [root];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const parent = parentOf(pid);
    if (parent === null) continue;
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const tree: number[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const pid = pending.pop() as number;
    tree.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

export interface MemorySample {
  /** Milliseconds since sampling started. */
  atMs: number;
  /** Summed over the processes sampled. */
  rssBytes: number;
  /** The anonymous part of `rssBytes` (heap and native allocations, without mapped files). */
  anonymousBytes: number;
  /** Each process's own share, by pid. */
  byPid: Record<number, number>;
}

/** The processes whose memory counts: fixed pids, or a function read at every sample (children restart). */
export type MemoryTarget = readonly number[] | (() => readonly number[]);

/** One sample of the summed resident memory of `target`. */
export function sampleMemory(target: MemoryTarget, atMs = 0): MemorySample {
  const pids = typeof target === 'function' ? target() : target;
  const byPid: Record<number, number> = {};
  let rssBytes = 0;
  let anonymousBytes = 0;
  for (const pid of pids) {
    const bytes = residentBytes(pid);
    if (bytes === null) continue;
    byPid[pid] = bytes.rss;
    rssBytes += bytes.rss;
    anonymousBytes += bytes.anonymous;
  }
  return { atMs, rssBytes, anonymousBytes, byPid };
}

/** Samples `target` every `intervalMs` until `stop()`, which takes a last sample and returns them all. */
export class MemorySampler {
  readonly samples: MemorySample[] = [];
  readonly #target: MemoryTarget;
  readonly #startedAt = performance.now();
  readonly #timer: NodeJS.Timeout;

  constructor(target: MemoryTarget, intervalMs: number) {
    this.#target = target;
    this.#take();
    this.#timer = setInterval(() => this.#take(), intervalMs);
    this.#timer.unref();
  }

  #take(): void {
    this.samples.push(sampleMemory(this.#target, performance.now() - this.#startedAt));
  }

  stop(): MemorySample[] {
    clearInterval(this.#timer);
    this.#take();
    return this.samples;
  }
}

export interface MemorySummary {
  peakBytes: number;
  /** The highest anonymous resident memory of a sample. */
  peakAnonymousBytes: number;
  firstBytes: number;
  lastBytes: number;
  /**
   * How much resident memory grew over the second half of the run, as a fraction of where that half started: a
   * least-squares line through the second half's samples, its rise over the half divided by its value at the start
   * — so one garbage collection at either edge does not decide it. Null with fewer than 4 samples in that half.
   */
  secondHalfGrowth: number | null;
}

/** The fitted rise over the samples' span, relative to the fitted value at their start. */
function relativeTrend(samples: readonly MemorySample[]): number | null {
  if (samples.length < 4) return null;
  const xs = samples.map((sample) => sample.atMs);
  const ys = samples.map((sample) => sample.rssBytes);
  const meanX = xs.reduce((sum, x) => sum + x, 0) / xs.length;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / ys.length;
  let covariance = 0;
  let variance = 0;
  xs.forEach((x, index) => {
    covariance += (x - meanX) * ((ys[index] as number) - meanY);
    variance += (x - meanX) ** 2;
  });
  if (variance === 0) return null;
  const slope = covariance / variance;
  const first = xs[0] as number;
  const last = xs[xs.length - 1] as number;
  const atStart = meanY + slope * (first - meanX);
  return atStart > 0 ? (slope * (last - first)) / atStart : null;
}

export function summariseMemory(samples: readonly MemorySample[]): MemorySummary {
  const values = samples.map((sample) => sample.rssBytes);
  const peakBytes = values.reduce((peak, value) => Math.max(peak, value), 0);
  const end = samples[samples.length - 1]?.atMs ?? 0;
  const secondHalf = samples.filter((sample) => sample.atMs >= end / 2);
  return {
    peakBytes,
    peakAnonymousBytes: samples.reduce((peak, sample) => Math.max(peak, sample.anonymousBytes), 0),
    firstBytes: values[0] ?? 0,
    lastBytes: values[values.length - 1] ?? 0,
    secondHalfGrowth: relativeTrend(secondHalf),
  };
}

export function mebibytes(bytes: number): number {
  return Math.round((bytes / 1024 ** 2) * 10) / 10;
}
