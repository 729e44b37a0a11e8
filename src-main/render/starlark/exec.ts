// Running a Starlark file: parse, resolve, execute the top level, freeze the
// globals (as go.starlark.net's ExecFile does).
import type { FileAst } from './ast.ts';
import { UNIVERSE } from './builtins.ts';
import { runAsync, runSync } from './drive.ts';
import { StarlarkSyntaxError } from './errors.ts';
import { execBody } from './eval-stmt.ts';
import { Frame, type ExecModule, type Gen } from './frame.ts';
import { parseFile } from './parser.ts';
import { resolveFile } from './resolve.ts';
import { Thread, type ThreadOptions } from './thread.ts';
import { freeze, type Value } from './values.ts';

export interface ExecOptions extends ThreadOptions {
  /** Names the host provides besides the universe (kpt: `ctx`). */
  predeclared?: Record<string, Value>;
}

export interface ExecResult {
  /** The module's globals, frozen. */
  globals: Map<string, Value>;
  /** Steps the script took. */
  steps: number;
}

/** Parses and resolves; throws StarlarkSyntaxError for a script that cannot run. */
export function compile(src: string, thread: Thread, predeclared: Map<string, Value>): FileAst {
  try {
    return resolveFile(parseFile(src, thread.name), thread.name, {
      isPredeclared: (n) => predeclared.has(n),
      isUniversal: (n) => UNIVERSE.has(n),
      dialect: thread.dialect,
    });
  } catch (e) {
    if (e instanceof RangeError) {
      throw new StarlarkSyntaxError('program too deeply nested', { file: thread.name, line: 1, col: 1 });
    }
    throw e;
  }
}

function* toplevel(thread: Thread, ast: FileAst, module: ExecModule): Gen<ExecResult> {
  const fr = new Frame(thread, ast.toplevel, module, []);
  fr.enter(new Array(ast.toplevel.numLocals));
  thread.push(fr);
  try {
    yield* execBody(fr, ast.stmts);
  } catch (e) {
    throw thread.wrap(e);
  } finally {
    thread.pop();
  }
  const globals = new Map<string, Value>();
  ast.globals.forEach((name, i) => {
    const v = module.globals[i];
    if (v === undefined) return;
    freeze(v);
    globals.set(name, v);
  });
  return { globals, steps: thread.steps };
}

function prepare(src: string, opts: ExecOptions): { thread: Thread; gen: Gen<ExecResult> } {
  const thread = new Thread(opts);
  const predeclared = new Map(Object.entries(opts.predeclared ?? {}));
  const ast = compile(src, thread, predeclared);
  const module: ExecModule = {
    file: thread.name,
    globalNames: ast.globals,
    globals: new Array(ast.globals.length),
    predeclared,
    universe: UNIVERSE as Map<string, Value>,
  };
  return { thread, gen: toplevel(thread, ast, module) };
}

/** Runs a script to completion on the caller's stack; the deadline still bounds it. */
export function execFileSync(src: string, opts: ExecOptions = {}): ExecResult {
  return runSync(prepare(src, opts).gen);
}

/** Runs a script, giving the event loop a turn every time slice (ThreadOptions.sliceMs). */
export async function execFile(src: string, opts: ExecOptions = {}): Promise<ExecResult> {
  const { thread, gen } = prepare(src, opts);
  return runAsync(thread, gen);
}
