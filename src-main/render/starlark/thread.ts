// A Thread is one execution: its call stack (for tracebacks), the sandbox's
// step, time, depth and size limits, and the host's print and load hooks.
import { EvalError, LimitError, StarError, type CallFrame, type Pos } from './errors.ts';
import type { Dialect } from './resolve.ts';
import type { Value } from './values.ts';

export const DEFAULT_LIMITS = {
  /** Steps are statements, loop iterations, calls and elements a built-in walks. */
  maxSteps: 10_000_000,
  timeLimitMs: 1_000,
  maxDepth: 250,
  /** Largest string (UTF-16 units) or list a single operation may build. */
  maxSize: 16_000_000,
};

const CHECK_EVERY = 256;

export interface ThreadOptions {
  /** Shown in tracebacks and used as the file name. */
  name?: string;
  maxSteps?: number;
  /** Absolute wall-clock deadline (Date.now() ms); defaults to now + timeLimitMs. */
  deadline?: number;
  timeLimitMs?: number;
  maxDepth?: number;
  maxSize?: number;
  print?: (msg: string) => void;
  /** Returns a module's members; throws StarError when there is no such module. */
  load?: (module: string) => Record<string, Value>;
  dialect?: Partial<Dialect>;
  /** How long the async driver runs before it gives the event loop a turn (ms). */
  sliceMs?: number;
}

/** A call-stack entry; the evaluator's frames extend it, built-ins use it as is. */
export interface StackFrame {
  name: string;
  /** Current position; null for a built-in. */
  pos: Pos | null;
}

export class Thread {
  readonly name: string;
  readonly maxSteps: number;
  readonly deadline: number;
  readonly timeLimitMs: number;
  readonly maxDepth: number;
  readonly maxSize: number;
  readonly dialect: Dialect;
  readonly print: (msg: string) => void;
  readonly loadModule: ((module: string) => Record<string, Value>) | undefined;
  readonly sliceMs: number;
  readonly stack: StackFrame[] = [];
  steps = 0;
  /** Set by the async driver: checkpoints may pause when true. */
  cooperative = false;
  private nextCheck = CHECK_EVERY;
  private sliceStart = Date.now();

  constructor(opts: ThreadOptions = {}) {
    this.name = opts.name ?? 'main';
    this.maxSteps = opts.maxSteps ?? DEFAULT_LIMITS.maxSteps;
    this.timeLimitMs = opts.timeLimitMs ?? DEFAULT_LIMITS.timeLimitMs;
    this.deadline = opts.deadline ?? Date.now() + this.timeLimitMs;
    this.maxDepth = opts.maxDepth ?? DEFAULT_LIMITS.maxDepth;
    this.maxSize = opts.maxSize ?? DEFAULT_LIMITS.maxSize;
    this.dialect = { allowSet: true, allowRecursion: true, allowGlobalReassign: true, ...opts.dialect };
    this.print = opts.print ?? (() => {});
    this.loadModule = opts.load;
    this.sliceMs = opts.sliceMs ?? 10;
  }

  /** Counts `n` steps; every few hundred it checks the step and time limits. */
  tick(n = 1): void {
    this.steps += n;
    if (this.steps >= this.nextCheck) this.check();
  }

  /** Like tick, and says whether the async driver should give the event loop a turn now. */
  tickAndShouldPause(): boolean {
    this.steps++;
    if (this.steps < this.nextCheck) return false;
    this.check();
    if (!this.cooperative) return false;
    const now = Date.now();
    if (now - this.sliceStart < this.sliceMs) return false;
    this.sliceStart = now;
    return true;
  }

  resumed(): void {
    this.sliceStart = Date.now();
  }

  private check(): void {
    this.nextCheck = this.steps + CHECK_EVERY;
    if (this.steps > this.maxSteps) {
      throw new LimitError('steps', `Starlark computation cancelled: too many steps (step limit ${this.maxSteps})`, this.snapshot());
    }
    if (Date.now() > this.deadline) {
      throw new LimitError('time', `Starlark computation cancelled: timeout (time limit ${this.timeLimitMs} ms)`, this.snapshot());
    }
  }

  push(frame: StackFrame): void {
    if (this.stack.length >= this.maxDepth) {
      throw new LimitError('depth', `Starlark computation cancelled: call stack too deep (depth limit ${this.maxDepth})`, this.snapshot());
    }
    this.stack.push(frame);
  }

  pop(): void {
    this.stack.pop();
  }

  /** Fails when a single operation would build a value over the size limit. */
  checkSize(n: number, what: string): void {
    if (n > this.maxSize)
      throw new LimitError('size', `Starlark computation cancelled: ${what} of ${n} elements exceeds the size limit ${this.maxSize}`, this.snapshot());
  }

  snapshot(): CallFrame[] {
    return this.stack.map((f) => ({ name: f.name, pos: f.pos ? { ...f.pos } : null }));
  }

  /** Turns anything thrown during evaluation into an EvalError carrying the current stack. */
  wrap(e: unknown): EvalError {
    if (e instanceof LimitError && e.callStack.length === 0) return new LimitError(e.limit, e.msg, this.snapshot());
    if (e instanceof EvalError) return e;
    if (e instanceof StarError) return new EvalError(e.message, this.snapshot());
    // Near the host stack's end even a RegExp may fail to compile: test with plain string search.
    const text = e instanceof Error ? e.message : '';
    if (text.includes('call stack') || text.includes('Stack overflow')) {
      return new LimitError('depth', 'Starlark computation cancelled: recursion too deep for the host stack', this.snapshot());
    }
    if (e instanceof RangeError && (text.includes('string length') || text.includes('array length'))) {
      return new LimitError('size', `Starlark computation cancelled: value too large (${e.message})`, this.snapshot());
    }
    return new EvalError(`internal error: ${e instanceof Error ? e.message : String(e)}`, this.snapshot());
  }
}
