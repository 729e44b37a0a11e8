// Expression evaluation. Pure expressions (no calls, no comprehensions) are
// evaluated directly; the rest run as generators so a long computation can
// pause at its loops and calls and let the event loop serve other work.
import type { Arg, Expr } from './ast.ts';
import { getAttr } from './attrs.ts';
import { starError } from './errors.ts';
import { Frame, PAUSE, type Gen } from './frame.ts';
import { bindArgs, StarFunction } from './function.ts';
import { StarDict } from './hash-table.ts';
import { binary, unary } from './ops.ts';
import { repr } from './repr.ts';
import { getIndex, iterate, slice } from './sequence.ts';
import type { Thread } from './thread.ts';
import { Builtin, StarList, StarTuple, truth, typeName, type Value } from './values.ts';
import { assign, assignPure, execBody, RETURN } from './eval-stmt.ts';

export function evalPure(fr: Frame, e: Expr): Value {
  switch (e.kind) {
    case 'Ident':
      fr.pos = e.pos;
      return fr.lookup(e.binding!);
    case 'Literal':
      return e.value;
    case 'List':
      return new StarList(e.elems.map((x) => evalPure(fr, x)));
    case 'Tuple':
      return new StarTuple(e.elems.map((x) => evalPure(fr, x)));
    case 'Dict':
      return makeDict(
        fr,
        e.entries.map(([k, v]) => [evalPure(fr, k), evalPure(fr, v)]),
      );
    case 'Unary': {
      const x = evalPure(fr, e.x);
      fr.pos = e.pos;
      return unary(e.op, x);
    }
    case 'Binary': {
      const x = evalPure(fr, e.x);
      if (e.op === 'and') return truth(x) ? evalPure(fr, e.y) : x;
      if (e.op === 'or') return truth(x) ? x : evalPure(fr, e.y);
      const y = evalPure(fr, e.y);
      fr.pos = e.pos;
      return binary(fr.thread, e.op, x, y);
    }
    case 'Cond':
      return truth(evalPure(fr, e.cond)) ? evalPure(fr, e.then) : evalPure(fr, e.else);
    case 'Dot': {
      const x = evalPure(fr, e.x);
      fr.pos = e.pos;
      return getAttr(x, e.name);
    }
    case 'Index': {
      const x = evalPure(fr, e.x);
      const i = evalPure(fr, e.index);
      fr.pos = e.pos;
      return getIndex(x, i);
    }
    case 'Slice': {
      const x = evalPure(fr, e.x);
      const lo = e.lo ? evalPure(fr, e.lo) : null;
      const hi = e.hi ? evalPure(fr, e.hi) : null;
      const step = e.step ? evalPure(fr, e.step) : null;
      fr.pos = e.pos;
      return slice(x, lo, hi, step);
    }
    default:
      throw starError(`internal error: ${e.kind} is not pure`);
  }
}

function makeDict(fr: Frame, entries: [Value, Value][]): StarDict {
  const d = new StarDict();
  for (const [k, v] of entries) {
    if (d.has(k)) throw starError(`duplicate key: ${repr(k)}`);
    d.set(k, v);
  }
  fr.thread.tick(entries.length);
  return d;
}

export function* evalExpr(fr: Frame, e: Expr): Gen<Value> {
  if (e.pure) return evalPure(fr, e);
  switch (e.kind) {
    case 'Call': {
      // Inlined (no helper generator) so deep recursion uses fewer host stack frames.
      const fn = e.fn.pure ? evalPure(fr, e.fn) : yield* evalExpr(fr, e.fn);
      const args: Value[] = [];
      const kwargs: [string, Value][] = [];
      for (const a of e.args) {
        const v = a.value.pure ? evalPure(fr, a.value) : yield* evalExpr(fr, a.value);
        fr.pos = e.pos;
        addArg(a, v, args, kwargs);
      }
      fr.pos = e.pos;
      return yield* callValue(fr.thread, fn, args, kwargs);
    }
    case 'Comprehension':
      return yield* comprehension(fr, e);
    case 'Lambda':
      return yield* makeFunction(fr, e.fn);
    case 'List':
    case 'Tuple': {
      const elems: Value[] = [];
      for (const x of e.elems) elems.push(yield* evalExpr(fr, x));
      return e.kind === 'List' ? new StarList(elems) : new StarTuple(elems);
    }
    case 'Dict': {
      const entries: [Value, Value][] = [];
      for (const [k, v] of e.entries) entries.push([yield* evalExpr(fr, k), yield* evalExpr(fr, v)]);
      fr.pos = e.pos;
      return makeDict(fr, entries);
    }
    case 'Unary': {
      const x = yield* evalExpr(fr, e.x);
      fr.pos = e.pos;
      return unary(e.op, x);
    }
    case 'Binary': {
      const x = yield* evalExpr(fr, e.x);
      if (e.op === 'and') return truth(x) ? yield* evalExpr(fr, e.y) : x;
      if (e.op === 'or') return truth(x) ? x : yield* evalExpr(fr, e.y);
      const y = yield* evalExpr(fr, e.y);
      fr.pos = e.pos;
      return binary(fr.thread, e.op, x, y);
    }
    case 'Cond':
      return truth(yield* evalExpr(fr, e.cond)) ? yield* evalExpr(fr, e.then) : yield* evalExpr(fr, e.else);
    case 'Dot': {
      const x = yield* evalExpr(fr, e.x);
      fr.pos = e.pos;
      return getAttr(x, e.name);
    }
    case 'Index': {
      const x = yield* evalExpr(fr, e.x);
      const i = yield* evalExpr(fr, e.index);
      fr.pos = e.pos;
      return getIndex(x, i);
    }
    case 'Slice': {
      const x = yield* evalExpr(fr, e.x);
      const lo = e.lo ? yield* evalExpr(fr, e.lo) : null;
      const hi = e.hi ? yield* evalExpr(fr, e.hi) : null;
      const step = e.step ? yield* evalExpr(fr, e.step) : null;
      fr.pos = e.pos;
      return slice(x, lo, hi, step);
    }
    default:
      return evalPure(fr, e);
  }
}

function addArg(a: Arg, v: Value, args: Value[], kwargs: [string, Value][]): void {
  if (a.kind === 'pos') args.push(v);
  else if (a.kind === 'named') kwargs.push([a.name!, v]);
  else if (a.kind === 'star') {
    const it = iterate(v);
    if (!it) throw starError(`argument after * must be iterable, not ${typeName(v)}`);
    try {
      for (const x of it.items) args.push(x);
    } finally {
      it.done();
    }
  } else {
    if (!(v instanceof StarDict)) throw starError(`argument after ** must be a mapping, not ${typeName(v)}`);
    for (const [k, x] of v.items()) {
      if (typeof k !== 'string') throw starError(`keywords must be strings, not ${typeName(k)}`);
      kwargs.push([k, x]);
    }
  }
}

/** Calls any callable value; pushes a frame so errors carry a traceback. */
export function* callValue(thread: Thread, fn: Value, args: Value[], kwargs: [string, Value][]): Gen<Value> {
  if (fn instanceof Builtin) {
    thread.push({ name: fn.name, pos: null });
    try {
      thread.tick();
      return fn.fn(thread, args, kwargs, fn);
    } catch (e) {
      throw thread.wrap(e);
    } finally {
      thread.pop();
    }
  }
  if (!(fn instanceof StarFunction)) throw starError(`invalid call of non-function (${typeName(fn)})`);
  if (!thread.dialect.allowRecursion && thread.stack.some((f) => f instanceof Frame && f.def === fn.def)) {
    throw starError(`function ${fn.name} called recursively`);
  }
  const fr = new Frame(thread, fn.def, fn.module as Frame['module'], fn.freevars);
  thread.push(fr);
  try {
    fr.enter(bindArgs(fn, args, kwargs));
    if (thread.tickAndShouldPause()) yield PAUSE;
    return (yield* execBody(fr, fn.def.body)) === RETURN ? fr.result : null;
  } catch (e) {
    throw thread.wrap(e);
  } finally {
    thread.pop();
  }
}

/** Creates a def or lambda value: defaults evaluated now, free variables captured as cells. */
export function* makeFunction(fr: Frame, def: StarFunction['def']): Gen<Value> {
  const defaults: (Value | undefined)[] = [];
  for (const p of def.params) defaults.push(p.default ? yield* evalExpr(fr, p.default) : undefined);
  const freevars = def.freevars.map((b) => fr.cellFor(b));
  return new StarFunction(def, fr.module, defaults, freevars);
}

function* comprehension(fr: Frame, e: Extract<Expr, { kind: 'Comprehension' }>): Gen<Value> {
  const thread = fr.thread;
  const list = e.dict ? undefined : new StarList();
  const dict = e.dict ? new StarDict() : undefined;
  function* clause(i: number): Gen<void> {
    const c = e.clauses[i];
    if (!c) {
      if (dict) dict.set(yield* evalExpr(fr, e.body), yield* evalExpr(fr, e.value!));
      else {
        list!.elems.push(yield* evalExpr(fr, e.body));
        if (list!.elems.length > thread.maxSize) thread.checkSize(list!.elems.length, 'list');
      }
      return;
    }
    if (c.kind === 'if') {
      if (truth(yield* evalExpr(fr, c.cond))) yield* clause(i + 1);
      return;
    }
    const x = yield* evalExpr(fr, c.iter);
    fr.pos = c.pos;
    const it = iterate(x);
    if (!it) throw starError(`${typeName(x)} value is not iterable`);
    try {
      for (const v of it.items) {
        if (thread.tickAndShouldPause()) yield PAUSE;
        if (c.vars.pure) assignPure(fr, c.vars, v);
        else yield* assign(fr, c.vars, v);
        yield* clause(i + 1);
      }
    } finally {
      it.done();
    }
  }
  yield* clause(0);
  return (list ?? dict)!;
}
