// Peak memory of this process from a point on, shared by the benchmark's children.
import * as fsSync from 'node:fs';

/**
 * Peak RSS from here on. maxRSS alone will not do: Linux carries it over from the parent through
 * fork and exec, so it would report the parent's (the sandbox's) peak. Writing 5 to clear_refs resets it.
 */
export function resetPeak(): () => number {
  try {
    fsSync.writeFileSync('/proc/self/clear_refs', '5');
    return () => Number(/VmHWM:\s+(\d+) kB/.exec(fsSync.readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
  } catch {
    // Elsewhere, sample: a lower bound, as the samples miss what happens while the thread is busy.
    let peak = process.memoryUsage.rss();
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
    return () => (clearInterval(timer), Math.max(peak, process.memoryUsage.rss()));
  }
}
