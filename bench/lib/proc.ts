/**
 * What Linux tells about a process from outside (`/proc/<pid>`): CPU time over all its threads
 * and resident memory. Deno has no per-process CPU API for other processes; these need Linux.
 * @module
 */

/** Clock ticks per second of `/proc/<pid>/stat` (`getconf CLK_TCK`, 100 on Linux). */
const CLK_TCK = 100;

/** User + system CPU time of process `pid` so far, in ms (10 ms resolution). */
export function processCpuMs(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLK_TCK;
}

/** Resident set size of process `pid` now and at its peak, in bytes. */
export function processRss(pid: number): { rss: number; peak: number } {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kb = (name: string): number => {
    const match = status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"));
    return match ? Number(match[1]) * 1024 : NaN;
  };
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

/** True when `/proc` can be read (Linux). */
export function hasProc(): boolean {
  try {
    Deno.statSync(`/proc/${Deno.pid}/stat`);
    return true;
  } catch {
    return false;
  }
}
