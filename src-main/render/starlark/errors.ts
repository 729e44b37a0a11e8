// Starlark's errors. Messages follow go.starlark.net so a script's failure reads
// the same as under kpt's starlark function.

/** A source position; `col` is 1-based like go.starlark.net's. */
export interface Pos {
  file: string;
  line: number;
  col: number;
}

export function formatPos(pos: Pos): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}

/** A scan, parse or resolve error: the script is rejected before it runs. */
export class StarlarkSyntaxError extends Error {
  constructor(
    readonly msg: string,
    readonly pos: Pos,
  ) {
    super(`${formatPos(pos)}: ${msg}`);
    this.name = 'StarlarkSyntaxError';
  }
}

/** One frame of a traceback: the position reached in the function named. */
export interface CallFrame {
  name: string;
  pos: Pos | null;
}

const KEEP_FRAMES = 10;

/** A runtime error with the call stack at the point of failure. */
export class EvalError extends Error {
  constructor(
    readonly msg: string,
    readonly callStack: CallFrame[],
  ) {
    super(msg);
    this.name = 'EvalError';
  }

  /** The go.starlark.net backtrace: "Traceback ...", then "Error in fail: ...". */
  backtrace(): string {
    let stack = this.callStack;
    let suffix = '';
    const last = stack[stack.length - 1];
    if (last && last.pos === null) {
      suffix = ` in ${last.name}`;
      stack = stack.slice(0, -1);
    }
    const lines = stack.map((f) => `  ${f.pos ? formatPos(f.pos) : '<builtin>'}: in ${f.name}\n`);
    // Deep recursion would print hundreds of identical lines: keep both ends.
    if (lines.length > 2 * KEEP_FRAMES) lines.splice(KEEP_FRAMES, lines.length - 2 * KEEP_FRAMES, `  ... ${lines.length - 2 * KEEP_FRAMES} more frames ...\n`);
    const head = lines.length > 0 ? 'Traceback (most recent call last):\n' : '';
    return `${head}${lines.join('')}Error${suffix}: ${this.msg}`;
  }
}

/** Which sandbox limit stopped a script. */
export type LimitKind = 'steps' | 'time' | 'depth' | 'size';

/** A script ran into a sandbox limit; it is an EvalError so it carries a traceback. */
export class LimitError extends EvalError {
  constructor(
    readonly limit: LimitKind,
    msg: string,
    callStack: CallFrame[] = [],
  ) {
    super(msg, callStack);
    this.name = 'LimitError';
  }
}

/**
 * Thrown by value operations and built-ins; the evaluator turns it into an
 * EvalError with the call stack, so the operations need not know the thread.
 */
export class StarError extends Error {
  constructor(msg: string) {
    super(msg);
    this.name = 'StarError';
  }
}

export function starError(msg: string): StarError {
  return new StarError(msg);
}
