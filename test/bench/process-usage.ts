import { spawnSync } from 'child_process';
import { existsSync, readdirSync, readFileSync } from 'fs';
import path from 'path';

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds (user + system) a process has used so far, or 0 once it is gone. */
function cpuSecondsOf(pid: number): number {
  try {
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** A process and its children (the chaincode supervisors' servers, say). */
function withChildren(pid: number): number[] {
  // pgrep exits 1 when the process has no children.
  const children = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout;
  return [pid, ...children.split('\n').filter(Boolean).map(Number)];
}

/** Peak resident memory (VmHWM) of a process and its children, in MiB. */
export function peakMemoryMiB(pid: number): number {
  return Math.max(...withChildren(pid).map((p) => {
    const line = readFileSync(`/proc/${p}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    return Math.round(Number(line?.replace(/\D/g, '') ?? 0) / 1024);
  }));
}

/** Named groups of processes (peers, orderers, chaincode servers…) whose CPU use is metered. */
export type ProcessGroups = Readonly<Record<string, () => readonly number[]>>;

/** The network's processes by role, from the run folder's pid files (the chaincode supervisors with their servers). */
export function networkProcesses(runDir: string): ProcessGroups {
  const pidsOf = (prefix: RegExp) => () => {
    const dir = path.join(runDir, 'pids');
    if (!existsSync(dir)) return [];
    return readdirSync(dir).filter((f) => prefix.test(f)).flatMap((f) => withChildren(Number(readFileSync(path.join(dir, f), 'utf8'))));
  };
  return {
    // One chaincode supervisor (with its server) per organisation: chaincode.<org>.pid, chaincode-baseline.<org>.pid.
    peers: pidsOf(/^peer/), orderers: pidsOf(/^orderer/), 'scf chaincode': pidsOf(/^chaincode\.[^.]+\.pid$/),
    'baseline chaincode': pidsOf(/^chaincode-baseline\.[^.]+\.pid$/), 'fabric CAs': pidsOf(/^ca\./),
  };
}

/** Starts metering; the returned function gives each group's CPU milliseconds since. */
export function meterCpu(groups: ProcessGroups): () => Record<string, number> {
  const read = () => Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, pids().reduce((sum, pid) => sum + cpuSecondsOf(pid), 0)]));
  const before = read();
  const startedSelf = process.cpuUsage();
  return () => {
    const after = read();
    const self = process.cpuUsage(startedSelf);
    return {
      ...Object.fromEntries(Object.keys(groups).map((name) => [name, Math.round((after[name]! - before[name]!) * 1000)])),
      'load driver': Math.round((self.user + self.system) / 1000),
    };
  };
}
