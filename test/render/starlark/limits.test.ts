// The sandbox: hostile scripts end within 2 s with an error naming the limit,
// and the async driver keeps the event loop serving other work meanwhile.
import { describe, expect, it } from 'vitest';
import { LimitError, StarlarkSyntaxError } from '../../../src-main/render/starlark/errors.ts';
import { execFile, execFileSync } from '../../../src-main/render/starlark/exec.ts';
import { loadModule } from '../../../src-main/render/starlark/modules/index.ts';

const CANCELLED =
  /^Starlark computation cancelled: (timeout \(time limit \d+ ms\)|too many steps \(step limit \d+\)|call stack too deep \(depth limit \d+\)|.* exceeds the size limit \d+)$/;

async function limitError(src: string, opts = {}): Promise<{ error: LimitError; ms: number }> {
  const start = Date.now();
  try {
    await execFile(src, { name: 'hostile.star', load: loadModule, ...opts });
  } catch (e) {
    if (e instanceof LimitError) return { error: e, ms: Date.now() - start };
    throw e;
  }
  throw new Error('the script was not stopped');
}

describe('sandbox limits', () => {
  it('stops `while True: pass` within 2 s', async () => {
    const { error, ms } = await limitError('while True:\n  pass\n');
    expect(ms).toBeLessThan(2000);
    expect(error.msg).toMatch(CANCELLED);
    expect(error.backtrace()).toContain('hostile.star:1:7: in <toplevel>');
  });

  it('stops unbounded recursion within 2 s', async () => {
    const { error, ms } = await limitError('def f(n):\n  return f(n + 1) + 1\nf(0)\n');
    expect(ms).toBeLessThan(2000);
    expect(error.limit).toBe('depth');
    expect(error.msg).toMatch(CANCELLED);
  });

  it('stops a huge list comprehension within 2 s', async () => {
    const { error, ms } = await limitError('x = [i * 2 for i in range(1 << 40)]\n');
    expect(ms).toBeLessThan(2000);
    expect(['steps', 'time', 'size']).toContain(error.limit);
    expect(error.msg).toMatch(CANCELLED);
  });

  it('names the step limit when it is the one reached', async () => {
    const { error } = await limitError('for i in range(100000):\n  pass', { maxSteps: 1000 });
    expect(error.limit).toBe('steps');
    expect(error.msg).toBe('Starlark computation cancelled: too many steps (step limit 1000)');
  });

  it('names the time limit when it is the one reached', async () => {
    const { error, ms } = await limitError('while True:\n  x = [1, 2, 3]', { timeLimitMs: 100, maxSteps: 1e12 });
    expect(error.limit).toBe('time');
    expect(error.msg).toBe('Starlark computation cancelled: timeout (time limit 100 ms)');
    expect(ms).toBeLessThan(1500);
  });

  it('refuses values that would exhaust memory', async () => {
    expect((await limitError('s = "x" * (1 << 30)')).error.limit).toBe('size');
    expect((await limitError('s = "ab"\nwhile True:\n  s = s + s')).error.limit).toBe('size');
    expect(() => execFileSync('x = 3\nwhile True:\n  x = x * x')).toThrow('int too large');
  });

  it('keeps serving the event loop while a script runs', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      const { error } = await limitError('while True:\n  pass', { timeLimitMs: 600, maxSteps: 1e12 });
      expect(error.limit).toBe('time');
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  it('cannot stall on a regular expression that backtracks exponentially elsewhere', async () => {
    const start = Date.now();
    const printed: string[] = [];
    await execFile('load("re.star", "re")\nprint(re.search("(a+)+$", "a" * 3000 + "b"))', { load: loadModule, print: (m) => printed.push(m) });
    expect(printed).toEqual(['None']);
    expect(Date.now() - start).toBeLessThan(2000);
  });

  it('rejects a program nested too deeply to parse', () => {
    expect(() => execFileSync('x = ' + '('.repeat(100_000) + '1' + ')'.repeat(100_000))).toThrow(StarlarkSyntaxError);
  });
});
