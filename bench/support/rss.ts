// Peak memory: sampled RSS of this process (process.memoryUsage) or of a child (/proc/<pid>/status).
import { readFileSync } from 'node:fs';

export interface RssSampler {
  /** Highest RSS seen so far (bytes). */
  peak(): number;
  /** Stops sampling (takes one last sample) and returns the peak (bytes). */
  stop(): number;
}

/** Samples this process' RSS every `intervalMs` (a blocked event loop delays samples: see kernelPeakRss). */
export function sampleOwnRss(intervalMs = 100): RssSampler {
  let peak = process.memoryUsage.rss();
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    peak: () => peak,
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

/** The kernel's peak RSS of this process since it started (bytes): a cross-check of the sampled peak. */
export function kernelPeakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

function statusKb(text: string, field: string): number | undefined {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

export interface ChildRssSampler extends RssSampler {
  /** The kernel's high-water mark (VmHWM) at the last successful read (bytes). */
  hwm(): number;
}

/** Samples a child's VmRSS from /proc every `intervalMs`; also tracks VmHWM while the child lives. */
export function sampleChildRss(pid: number, intervalMs = 200): ChildRssSampler {
  let peak = 0;
  let hwm = 0;
  const sample = () => {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      return; // exited
    }
    peak = Math.max(peak, (statusKb(text, 'VmRSS') ?? 0) * 1024);
    hwm = Math.max(hwm, (statusKb(text, 'VmHWM') ?? 0) * 1024);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    peak: () => peak,
    hwm: () => hwm,
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
