// Statement execution: assignment (with unpacking and in-place list +=),
// def, if, for, while, return, break/continue and load.
import type { Expr, Stmt } from './ast.ts';
import { getAttr, setField } from './attrs.ts';
import { starError } from './errors.ts';
import { evalExpr, evalPure, makeFunction } from './eval-expr.ts';
import { PAUSE, type Frame, type Gen } from './frame.ts';
import { binary } from './ops.ts';
import { getIndex, iterate, len, setIndex, toArray } from './sequence.ts';
import { freeze, StarList, truth, typeName, type Value } from './values.ts';

export const NORMAL = 0;
export const BREAK = 1;
export const CONTINUE = 2;
export const RETURN = 3;
type Signal = typeof NORMAL | typeof BREAK | typeof CONTINUE | typeof RETURN;

export function* execBody(fr: Frame, body: Stmt[]): Gen<Signal> {
  const thread = fr.thread;
  // Statements run inline here (no generator per statement) to keep deep recursion off the host stack.
  for (const s of body) {
    if (s.pure) {
      const sig = execSimple(fr, s);
      if (sig !== NORMAL) return sig;
      continue;
    }
    thread.tick();
    switch (s.kind) {
      case 'ExprStmt':
        yield* evalExpr(fr, s.x);
        break;
      case 'Assign':
        if (s.op === '=') {
          const v = yield* evalExpr(fr, s.rhs);
          fr.pos = s.pos;
          yield* assign(fr, s.lhs, v);
        } else {
          yield* augmented(fr, s.op.slice(0, -1), s.lhs, s.rhs, s.pos);
        }
        break;
      case 'Def':
        fr.store(s.name.binding!, yield* makeFunction(fr, s.fn));
        break;
      case 'If': {
        const cond = s.cond.pure ? evalPure(fr, s.cond) : yield* evalExpr(fr, s.cond);
        const sig = yield* execBody(fr, truth(cond) ? s.then : s.else);
        if (sig !== NORMAL) return sig;
        break;
      }
      case 'For': {
        const x = yield* evalExpr(fr, s.iter);
        fr.pos = s.pos;
        const it = iterate(x);
        if (!it) throw starError(`${typeName(x)} value is not iterable`);
        try {
          for (const v of it.items) {
            if (thread.tickAndShouldPause()) yield PAUSE;
            if (s.vars.pure) assignPure(fr, s.vars, v);
            else yield* assign(fr, s.vars, v);
            const sig = yield* execBody(fr, s.body);
            if (sig === BREAK) break;
            if (sig === RETURN) return RETURN;
          }
        } finally {
          it.done();
        }
        break;
      }
      case 'While':
        while (truth(s.cond.pure ? evalPure(fr, s.cond) : yield* evalExpr(fr, s.cond))) {
          if (thread.tickAndShouldPause()) yield PAUSE;
          const sig = yield* execBody(fr, s.body);
          if (sig === BREAK) break;
          if (sig === RETURN) return RETURN;
        }
        break;
      case 'Return':
        fr.result = !s.result ? null : s.result.pure ? evalPure(fr, s.result) : yield* evalExpr(fr, s.result);
        return RETURN;
      case 'Load':
        load(fr, s);
        break;
      default: {
        const sig = execSimple(fr, s);
        if (sig !== NORMAL) return sig;
      }
    }
  }
  return NORMAL;
}

function load(fr: Frame, s: Extract<Stmt, { kind: 'Load' }>): void {
  fr.pos = s.pos;
  const loader = fr.thread.loadModule;
  if (!loader) throw starError('load not implemented by this application');
  const members = loader(s.module);
  for (const { local, orig } of s.names) {
    const v = Object.hasOwn(members, orig) ? members[orig] : undefined;
    if (v === undefined) throw starError(`load: name ${orig} not found in module ${s.module}`);
    freeze(v);
    fr.store(local.binding!, v);
  }
}

/** A statement that calls nothing: expression, assignment, pass, break, continue. */
function execSimple(fr: Frame, s: Stmt): Signal {
  fr.thread.tick();
  switch (s.kind) {
    case 'ExprStmt':
      evalPure(fr, s.x);
      return NORMAL;
    case 'Assign':
      if (s.op === '=') {
        const v = evalPure(fr, s.rhs);
        fr.pos = s.pos;
        assignPure(fr, s.lhs, v);
      } else {
        augmentedPure(fr, s.op.slice(0, -1), s.lhs, s.rhs, s.pos);
      }
      return NORMAL;
    case 'break':
      return BREAK;
    case 'continue':
      return CONTINUE;
    default:
      return NORMAL;
  }
}

/** Assigns `v` to a target: a name, x.f, x[i], or a tuple/list of targets to unpack into. */
export function* assign(fr: Frame, target: Expr, v: Value): Gen<void> {
  if (target.pure) return assignPure(fr, target, v);
  switch (target.kind) {
    case 'Ident':
      fr.store(target.binding!, v);
      return;
    case 'Index': {
      const x = yield* evalExpr(fr, target.x);
      const i = yield* evalExpr(fr, target.index);
      fr.pos = target.pos;
      setIndex(x, i, v);
      return;
    }
    case 'Dot': {
      const x = yield* evalExpr(fr, target.x);
      fr.pos = target.pos;
      setField(x, target.name, v);
      return;
    }
    case 'Tuple':
    case 'List': {
      const items = unpack(fr, v, target.elems.length);
      for (let i = 0; i < items.length; i++) yield* assign(fr, target.elems[i]!, items[i]!);
      return;
    }
    default:
      throw starError(`can't assign to ${target.kind.toLowerCase()} expression`);
  }
}

/** Assignment to a target whose subexpressions are pure. */
export function assignPure(fr: Frame, target: Expr, v: Value): void {
  switch (target.kind) {
    case 'Ident':
      fr.store(target.binding!, v);
      return;
    case 'Index': {
      const x = evalPure(fr, target.x);
      const i = evalPure(fr, target.index);
      fr.pos = target.pos;
      setIndex(x, i, v);
      return;
    }
    case 'Dot': {
      const x = evalPure(fr, target.x);
      fr.pos = target.pos;
      setField(x, target.name, v);
      return;
    }
    case 'Tuple':
    case 'List': {
      const items = unpack(fr, v, target.elems.length);
      target.elems.forEach((t, i) => assignPure(fr, t, items[i]!));
      return;
    }
    default:
      throw starError(`can't assign to ${target.kind.toLowerCase()} expression`);
  }
}

function unpack(fr: Frame, v: Value, n: number): Value[] {
  if (len(v) === undefined || !iterate(v)) throw starError(`got ${typeName(v)} in sequence assignment`);
  const items = toArray(fr.thread, v);
  if (items.length > n) throw starError(`too many values to unpack (got ${items.length}, want ${n})`);
  if (items.length < n) throw starError(`too few values to unpack (got ${items.length}, want ${n})`);
  return items;
}

/** `x op= y`; for a list `+=` extends it in place, as go.starlark.net does. */
function applyAugmented(fr: Frame, op: string, old: Value, y: Value, pos: Frame['pos']): Value {
  fr.pos = pos;
  if (op === '+' && old instanceof StarList && iterate(y)) {
    const items = toArray(fr.thread, y);
    old.checkMutable('apply += to');
    fr.thread.checkSize(old.elems.length + items.length, 'list');
    old.elems.push(...items);
    return old;
  }
  return binary(fr.thread, op, old, y);
}

/** Reads the target of `x op= y` once: returns its value and a setter. */
function augmentedTarget(fr: Frame, lhs: Expr, x: Value | undefined, i: Value | undefined): [Value, (v: Value) => void] {
  fr.pos = lhs.pos;
  switch (lhs.kind) {
    case 'Ident':
      return [fr.lookup(lhs.binding!), (v) => fr.store(lhs.binding!, v)];
    case 'Index':
      return [
        getIndex(x!, i!),
        (v) => {
          fr.pos = lhs.pos;
          setIndex(x!, i!, v);
        },
      ];
    case 'Dot':
      return [
        getAttr(x!, lhs.name),
        (v) => {
          fr.pos = lhs.pos;
          setField(x!, lhs.name, v);
        },
      ];
    default:
      throw starError(`can't use augmented assignment with ${lhs.kind.toLowerCase()} expression`);
  }
}

function augmentedPure(fr: Frame, op: string, lhs: Expr, rhs: Expr, pos: Frame['pos']): void {
  const x = lhs.kind === 'Index' || lhs.kind === 'Dot' ? evalPure(fr, lhs.x) : undefined;
  const i = lhs.kind === 'Index' ? evalPure(fr, lhs.index) : undefined;
  const [old, set] = augmentedTarget(fr, lhs, x, i);
  set(applyAugmented(fr, op, old, evalPure(fr, rhs), pos));
}

function* augmented(fr: Frame, op: string, lhs: Expr, rhs: Expr, pos: Frame['pos']): Gen<void> {
  const x = lhs.kind === 'Index' || lhs.kind === 'Dot' ? yield* evalExpr(fr, lhs.x) : undefined;
  const i = lhs.kind === 'Index' ? yield* evalExpr(fr, lhs.index) : undefined;
  const [old, set] = augmentedTarget(fr, lhs, x, i);
  set(applyAugmented(fr, op, old, yield* evalExpr(fr, rhs), pos));
}
