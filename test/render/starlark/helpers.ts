// Runs Starlark snippets in tests. Scripts get assert_eq(got, want) and
// assert_fails(fn, substring), like go.starlark.net's testdata scripts.
import { expect } from 'vitest';
import { equals } from '../../../src-main/render/starlark/compare.ts';
import { callSync } from '../../../src-main/render/starlark/drive.ts';
import { EvalError, StarError, StarlarkSyntaxError } from '../../../src-main/render/starlark/errors.ts';
import { execFileSync, type ExecOptions, type ExecResult } from '../../../src-main/render/starlark/exec.ts';
import { loadModule } from '../../../src-main/render/starlark/modules/index.ts';
import { repr } from '../../../src-main/render/starlark/repr.ts';
import { Builtin, type Value } from '../../../src-main/render/starlark/values.ts';

const assertEq = new Builtin('assert_eq', (_t, args) => {
  const [got, want] = args as [Value, Value];
  if (!equals(got, want)) throw new StarError(`assert_eq: got ${repr(got)}, want ${repr(want)}`);
  return null;
});

const assertFails = new Builtin('assert_fails', (t, args) => {
  const [fn, want] = args as [Value, string];
  try {
    callSync(t, fn, []);
  } catch (e) {
    if (e instanceof EvalError) {
      if (!e.msg.includes(want)) throw new StarError(`assert_fails: error ${JSON.stringify(e.msg)} does not contain ${JSON.stringify(want)}`);
      return null;
    }
    throw e;
  }
  throw new StarError(`assert_fails: ${repr(fn)} did not fail (want an error containing ${JSON.stringify(want)})`);
});

/** Runs `src`; returns what it printed. Assertion failures surface as EvalError with a traceback. */
export function run(src: string, opts: ExecOptions = {}): string[] {
  const printed: string[] = [];
  try {
    execFileSync(src, {
      name: 'test.star',
      load: loadModule,
      print: (m) => printed.push(m),
      ...opts,
      predeclared: { assert_eq: assertEq, assert_fails: assertFails, ...opts.predeclared },
    });
  } catch (e) {
    if (e instanceof EvalError) throw new Error(e.backtrace(), { cause: e });
    throw e;
  }
  return printed;
}

/** Runs `src` and returns the frozen globals. */
export function globalsOf(src: string, opts: ExecOptions = {}): ExecResult['globals'] {
  return execFileSync(src, { name: 'test.star', load: loadModule, ...opts }).globals;
}

/** The printed repr of one expression. */
export function show(expr: string): string {
  return run(`print(repr(${expr}))`)[0]!;
}

/** Runs `src`, expecting it to fail at run time; returns the error. */
export function evalError(src: string, opts: ExecOptions = {}): EvalError {
  try {
    execFileSync(src, { name: 'test.star', load: loadModule, ...opts });
  } catch (e) {
    if (e instanceof EvalError) return e;
    throw e;
  }
  return expect.fail(`script did not fail:\n${src}`);
}

/** Runs `src`, expecting it to be rejected before running; returns the error. */
export function syntaxError(src: string, opts: ExecOptions = {}): StarlarkSyntaxError {
  try {
    execFileSync(src, { name: 'test.star', ...opts });
  } catch (e) {
    if (e instanceof StarlarkSyntaxError) return e;
    throw e;
  }
  return expect.fail(`script was not rejected:\n${src}`);
}
