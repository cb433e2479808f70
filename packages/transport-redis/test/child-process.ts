/** Runs a TypeScript file of this folder in a child Node process (through tsx) and watches its stdout lines. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** A child process and the lines it printed so far. */
export interface WatchedChild {
  readonly process: ChildProcess;
  readonly lines: string[];
  /** Resolves with the first line (printed so far or later) starting with `prefix`. */
  line(prefix: string, timeoutMs?: number): Promise<string>;
  /** Resolves once the process exited. */
  readonly exited: Promise<number | null>;
}

/** Starts `node --import tsx test/<file>` with `env` added to the environment. */
export function startChild(file: string, env: Record<string, string>): WatchedChild {
  const child = spawn(process.execPath, ['--import', 'tsx', `test/${file}`], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  let pending = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      lines.push(line);
      for (const waiter of waiters.filter((w) => line.startsWith(w.prefix))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
      newline = pending.indexOf('\n');
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    process: child,
    lines,
    exited,
    line(prefix, timeoutMs = 30_000) {
      const found = lines.find((line) => line.startsWith(prefix));
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `child ${file} printed no '${prefix}' line within ${timeoutMs} ms; stderr:\n${stderr}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({
          prefix,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
  };
}
