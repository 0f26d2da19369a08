// Statements pipelined on one connection: the extended query protocol with a single Sync at the end, every
// message written to the socket as soon as it is made. node-postgres sends a query only once the one before
// it is over, and the store's event loop is busy normalizing, so each hand-over between the statements of a
// batch (a COPY's end, the bucket statements, the next COPY's start) waited for the next slice: measured on
// the ingest bench, the server idled for about a third of its work and lagged two stages behind at the end
// of each batch. Here the server runs one statement after the other, reading COPY data as it arrives.
// Answers come back in order and are matched to the statements by their CommandComplete. After an error the
// server skips every message up to the Sync (COPY data included), so the first failure is the outcome of the
// whole pipeline. This is a node-postgres Submittable, like pg-copy-streams: it owns the connection from
// its submission until the ReadyForQuery that answers its Sync (or its error).
import type pg from 'pg';
import { BinaryCopyWriter } from './postgres-binary-copy.ts';

/** What of node-postgres' Connection the pipeline uses: the calls its own Query and pg-copy-streams make
 * (the type declarations leave out the COPY ones). */
interface Connection {
  stream: { write(chunk: Buffer): boolean; cork(): void; uncork(): void };
  parse(q: { text: string }): void;
  bind(c: { values: unknown[] }): void;
  execute(c: Record<string, never>): void;
  sync(): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
}

/** CopyData's message type (PostgreSQL docs, "Message Formats"). */
const COPY_DATA = 0x64;

interface Step {
  /** Called with the statement's rows (text fields) when it completes; a throw fails the pipeline. */
  done?: (rows: (string | null)[][]) => void;
}

/** A COPY ... FROM STDIN inside a pipeline: rows go to `writer`; `send` writes its filled buffers, `end`
 * the rest and CopyDone. Until `end`, the pipeline takes no other statement. */
export interface PipelinedCopy {
  readonly writer: BinaryCopyWriter;
  send(): void;
  end(): void;
}

export class Pipeline implements pg.Submittable {
  private connection: Connection | undefined;
  /** Messages made before node-postgres submitted the pipeline, written when it does. */
  private pending: ((c: Connection) => void)[] = [];
  private readonly steps: Step[] = [];
  private rows: (string | null)[][] = [];
  private copying = false;
  /** Sync written (or due at submission): nothing more may be sent. */
  private synced = false;
  private failure: unknown;
  private failed = false;
  private settle: () => void = () => undefined;
  /** Resolves (never rejects) once the server has answered the Sync, or the pipeline failed. */
  readonly settled: Promise<void>;

  /** @param onFailure told of the first failure, as soon as it is known. */
  constructor(private readonly onFailure: (e: unknown) => void = () => undefined) {
    this.settled = new Promise((resolve) => {
      this.settle = resolve;
    });
  }

  /** Queues a statement; `done` receives its rows (as text) when the server has run it. */
  query(text: string, values: unknown[] = [], done?: Step['done']): void {
    if (this.copying) throw new Error('pipeline: a COPY is open');
    this.steps.push({ done });
    this.send((c) => {
      c.parse({ text });
      c.bind({ values });
      c.execute({});
    });
  }

  /** Starts a binary COPY ... FROM STDIN. */
  copy(sql: string): PipelinedCopy {
    this.query(sql);
    this.copying = true;
    const writer = new BinaryCopyWriter();
    const frames = (buffers: Buffer[]) => this.send((c) => writeCopyData(c, buffers));
    return {
      writer,
      send: () => frames(writer.takeFilled()),
      end: () => {
        frames(writer.finish());
        this.send((c) => c.endCopyFrom());
        this.copying = false;
      },
    };
  }

  /** Ends the pipeline (Sync) and waits for the server to have run all of it; rejects with its first failure. */
  async end(): Promise<void> {
    this.sync();
    await this.settled;
    if (this.failed) throw this.failure;
  }

  /** Abandons the pipeline: an open COPY fails (nothing of it is stored), the rest runs; the caller then
   * rolls back. Resolves once the connection is free. */
  async cancel(): Promise<void> {
    if (this.connection === undefined) {
      // Nothing reached the server: at submission, only the Sync goes out.
      this.pending = [];
      this.copying = false;
    }
    if (this.copying) {
      this.send((c) => c.sendCopyFail('COPY abandoned'));
      this.copying = false;
    }
    this.sync();
    await this.settled;
  }

  private sync(): void {
    if (this.synced) return;
    this.send((c) => c.sync());
    this.synced = true;
  }

  /** Writes a message now, or at submission; after the Sync or a failure, nothing more goes out. */
  private send(message: (c: Connection) => void): void {
    if (this.synced) return;
    const c = this.connection;
    if (c === undefined) {
      this.pending.push(message);
      return;
    }
    c.stream.cork();
    message(c);
    c.stream.uncork();
  }

  private fail(e: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.failure = e;
    this.onFailure(e);
  }

  // The Submittable interface node-postgres drives.

  submit(pgConnection: pg.Connection): void {
    const connection = pgConnection as unknown as Connection;
    this.connection = connection;
    const pending = this.pending;
    this.pending = [];
    connection.stream.cork();
    for (const m of pending) m(connection);
    connection.stream.uncork();
  }

  handleRowDescription(): void {}

  handleDataRow(msg: { fields: (string | null)[] }): void {
    this.rows.push(msg.fields);
  }

  handleCopyInResponse(): void {}

  handleCommandComplete(): void {
    const step = this.steps.shift();
    const rows = this.rows;
    this.rows = [];
    try {
      step?.done?.(rows);
    } catch (e) {
      this.fail(e);
    }
  }

  handleEmptyQuery(): void {}

  handlePortalSuspended(): void {}

  handleReadyForQuery(): void {
    this.settle();
  }

  /** The server's error (it now skips to the Sync, sent here if it was not yet), or the connection's loss;
   * node-postgres hands the connection to the next query at the ReadyForQuery that follows. */
  handleError(e: unknown): void {
    this.fail(e);
    if (this.connection !== undefined && !this.synced) {
      this.connection.sync();
      this.synced = true;
    }
    this.settle();
  }
}

/** COPY data as CopyData messages, each header and buffer in one write (the caller corks the socket). */
function writeCopyData(c: Connection, buffers: readonly Buffer[]): void {
  for (const b of buffers) {
    const header = Buffer.allocUnsafe(5);
    header[0] = COPY_DATA;
    header.writeInt32BE(b.length + 4, 1);
    c.stream.write(header);
    c.stream.write(b);
  }
}
