// Starts bench/support/serve-child.ts on a DuckDB file and samples its memory while it serves.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type ChildRssSampler, sampleChildRss } from './rss.ts';

export interface RunningServer {
  url: string;
  pid: number;
  /** Seconds the server spent filling its read cache before serving, and the blocks it read. */
  warmS: number;
  warmBlocks: number;
  rss: ChildRssSampler;
  /** Closes the app and the store (flushing writes) and waits for the process to exit. */
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./serve-child.ts', import.meta.url));

function waitFor<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`server: no '${type}' within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: { type?: string }) => {
      if (m?.type !== type) return;
      cleanup();
      resolve(m as T);
    };
    const onExit = (code: number | null) => fail(new Error(`server exited (code ${code}) before '${type}'`));
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const fail = (e: Error) => {
      cleanup();
      reject(e);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Serves the store at `dbPath` over HTTP on 127.0.0.1 from a child process. */
export async function startServer(dbPath: string): Promise<RunningServer> {
  // The same loader flags this process runs with (tsx), so the child runs TypeScript too.
  const child = spawn(process.execPath, [...process.execArgv, CHILD], {
    env: { ...process.env, BENCH_DB: dbPath },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const { port, warmS, warmBlocks } = await waitFor<{ port: number; warmS: number; warmBlocks: number }>(
      child,
      'ready',
      300_000,
    );
    const rss = sampleChildRss(child.pid!, 200);
    return {
      url: `http://127.0.0.1:${port}`,
      pid: child.pid!,
      warmS,
      warmBlocks,
      rss,
      async stop() {
        child.send({ type: 'stop' });
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            exited,
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error('server did not stop in 120 s')), 120_000);
            }),
          ]);
        } finally {
          // A pending timer would keep the bench process alive for two minutes after its work is done.
          clearTimeout(timer);
        }
        rss.stop();
      },
    };
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
}
