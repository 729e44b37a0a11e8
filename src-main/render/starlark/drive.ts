// Drivers for the evaluator's generators. The async driver gives the event
// loop a turn whenever the thread has run for a time slice, so a service that
// runs a script on its own thread keeps answering other calls meanwhile; the
// sync driver never pauses. Both are bounded by the thread's deadline.
import { callValue } from './eval-expr.ts';
import type { Gen } from './frame.ts';
import type { Thread } from './thread.ts';
import type { Value } from './values.ts';

export function runSync<T>(gen: Gen<T>): T {
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value;
  }
}

export async function runAsync<T>(thread: Thread, gen: Gen<T>): Promise<T> {
  thread.cooperative = true;
  try {
    for (;;) {
      const r = gen.next();
      if (r.done) return r.value;
      await new Promise<void>((resolve) => setImmediate(resolve));
      thread.resumed();
    }
  } finally {
    thread.cooperative = false;
  }
}

/** Calls a Starlark value from a built-in (sorted's key=, min's key=) without pausing. */
export function callSync(thread: Thread, fn: Value, args: Value[], kwargs: [string, Value][] = []): Value {
  const saved = thread.cooperative;
  thread.cooperative = false;
  try {
    return runSync(callValue(thread, fn, args, kwargs));
  } finally {
    thread.cooperative = saved;
  }
}
