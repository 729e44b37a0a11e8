// Static name resolution, as go.starlark.net's resolve package: every name is
// local, captured (cell/free), global, predeclared or universal before the
// script runs, so an undefined name fails the whole script up front.
import { newFunctionDef, type Binding, type Expr, type FileAst, type FunctionDef, type Stmt } from './ast.ts';
import { StarlarkSyntaxError, type Pos } from './errors.ts';

/** go.starlark.net's resolve.Allow* flags; kpt's starlark function turns all three on. */
export interface Dialect {
  allowSet: boolean;
  allowRecursion: boolean;
  allowGlobalReassign: boolean;
}

export interface ResolveEnv {
  isPredeclared(name: string): boolean;
  isUniversal(name: string): boolean;
  dialect: Dialect;
}

interface Scope {
  fn: FunctionDef;
  parent: Scope | null;
  /** Block stack: [function locals, ...comprehension blocks]. */
  blocks: Map<string, Binding>[];
  free: Map<string, Binding>;
}

const DOESNT = 'this Starlark dialect does not support';

export function resolveFile(stmts: Stmt[], file: string, env: ResolveEnv): FileAst {
  const globals = new Map<string, Binding>();
  const toplevel = newFunctionDef('<toplevel>', { file, line: 1, col: 1 }, [], stmts);
  const top: Scope = { fn: toplevel, parent: null, blocks: [new Map()], free: new Map() };
  const fail = (msg: string, pos: Pos): never => {
    throw new StarlarkSyntaxError(msg, pos);
  };

  const declareGlobal = (name: string, pos: Pos) => {
    const existing = globals.get(name);
    if (existing) {
      if (!env.dialect.allowGlobalReassign) fail(`cannot reassign global ${name} declared at ${existing.pos!.line}:${existing.pos!.col}`, pos);
      return;
    }
    globals.set(name, { scope: 'global', name, index: globals.size, pos });
  };
  for (const name of boundNames(stmts, true)) declareGlobal(name.name, name.pos);

  const newLocal = (scope: Scope, name: string, pos: Pos): Binding => ({ scope: 'local', name, index: scope.fn.numLocals++, pos });

  const lookup = (scope: Scope, name: string): Binding | undefined => {
    for (let b = scope.blocks.length - 1; b >= 0; b--) {
      const found = scope.blocks[b]!.get(name);
      if (found) return found;
    }
    const free = scope.free.get(name);
    if (free) return free;
    if (scope.parent) {
      const outer = lookup(scope.parent, name);
      if (!outer || (outer.scope !== 'local' && outer.scope !== 'cell' && outer.scope !== 'free')) return outer;
      if (outer.scope === 'local') {
        outer.scope = 'cell';
        scope.parent.fn.cells.push(outer.index);
      }
      const binding: Binding = { scope: 'free', name, index: scope.fn.freevars.length };
      scope.fn.freevars.push(outer);
      scope.free.set(name, binding);
      return binding;
    }
    const g = globals.get(name);
    if (g) return g;
    if (env.isPredeclared(name)) return { scope: 'predeclared', name, index: -1 };
    if (env.isUniversal(name)) return { scope: 'universal', name, index: -1 };
    return undefined;
  };

  const use = (scope: Scope, id: Extract<Expr, { kind: 'Ident' }>) => {
    const b = lookup(scope, id.name);
    if (!b) fail(`undefined: ${id.name}`, id.pos);
    if (b!.scope === 'universal' && id.name === 'set' && !env.dialect.allowSet) fail(`${DOESNT} set`, id.pos);
    id.binding = b;
  };

  /** Binds an assignment target; returns whether its subexpressions are pure. */
  const bind = (scope: Scope, target: Expr): boolean => {
    let pure = true;
    switch (target.kind) {
      case 'Ident': {
        const inner = scope.blocks[scope.blocks.length - 1]!;
        target.binding = inner.get(target.name) ?? (scope.parent === null && scope.blocks.length === 1 ? globals.get(target.name) : undefined);
        if (!target.binding) fail(`internal error: ${target.name} was not declared`, target.pos);
        break;
      }
      case 'Tuple':
      case 'List':
        for (const e of target.elems) if (!bind(scope, e)) pure = false;
        break;
      case 'Dot':
        pure = expr(scope, target.x);
        break;
      case 'Index':
        pure = [expr(scope, target.x), expr(scope, target.index)].every(Boolean);
        break;
      default:
        fail(`can't assign to ${target.kind.toLowerCase()} expression`, target.pos);
    }
    target.pure = pure;
    return pure;
  };

  const fnDef = (scope: Scope, fn: FunctionDef) => {
    for (const p of fn.params) if (p.default) expr(scope, p.default);
    const inner: Scope = { fn, parent: scope, blocks: [new Map()], free: new Map() };
    const locals = inner.blocks[0]!;
    for (const p of fn.params) {
      if (p.name === undefined) continue;
      const b = newLocal(inner, p.name, p.pos);
      p.slot = b.index;
      locals.set(p.name, b);
    }
    for (const n of boundNames(fn.body, false)) if (!locals.has(n.name)) locals.set(n.name, newLocal(inner, n.name, n.pos));
    block(inner, fn.body, { inLoop: false, inFunction: true });
  };

  /** Resolves `e` and marks it pure when it cannot call anything. */
  const expr = (scope: Scope, e: Expr): boolean => {
    let pure = true;
    const sub = (x: Expr | undefined) => {
      if (x && !expr(scope, x)) pure = false;
    };
    switch (e.kind) {
      case 'Ident':
        use(scope, e);
        break;
      case 'Literal':
        break;
      case 'List':
      case 'Tuple':
        e.elems.forEach(sub);
        break;
      case 'Dict':
        for (const [k, v] of e.entries) {
          sub(k);
          sub(v);
        }
        break;
      case 'Unary':
        sub(e.x);
        break;
      case 'Binary':
        sub(e.x);
        sub(e.y);
        break;
      case 'Cond':
        sub(e.cond);
        sub(e.then);
        sub(e.else);
        break;
      case 'Dot':
        sub(e.x);
        break;
      case 'Index':
        sub(e.x);
        sub(e.index);
        break;
      case 'Slice':
        sub(e.x);
        sub(e.lo);
        sub(e.hi);
        sub(e.step);
        break;
      case 'Call':
        sub(e.fn);
        for (const a of e.args) sub(a.value);
        pure = false;
        break;
      case 'Lambda':
        fnDef(scope, e.fn);
        pure = false;
        break;
      case 'Comprehension': {
        pure = false;
        const first = e.clauses[0];
        if (!first || first.kind !== 'for') fail('comprehension must start with a for clause', e.pos);
        // The first iterable is evaluated in the enclosing block, the rest inside the comprehension.
        expr(scope, (first as { iter: Expr }).iter);
        const blockMap = new Map<string, Binding>();
        scope.blocks.push(blockMap);
        for (const [i, c] of e.clauses.entries()) {
          if (c.kind === 'for') {
            if (i > 0) expr(scope, c.iter);
            for (const n of targetNames(c.vars)) if (!blockMap.has(n.name)) blockMap.set(n.name, newLocal(scope, n.name, n.pos));
            bind(scope, c.vars);
          } else {
            expr(scope, c.cond);
          }
        }
        expr(scope, e.body);
        if (e.value) expr(scope, e.value);
        scope.blocks.pop();
        break;
      }
    }
    e.pure = pure;
    return pure;
  };

  const block = (scope: Scope, body: Stmt[], ctx: { inLoop: boolean; inFunction: boolean }) => {
    for (const s of body) stmt(scope, s, ctx);
  };

  const stmt = (scope: Scope, s: Stmt, ctx: { inLoop: boolean; inFunction: boolean }) => {
    switch (s.kind) {
      case 'ExprStmt':
        s.pure = expr(scope, s.x);
        return;
      case 'Assign': {
        const rhsPure = expr(scope, s.rhs);
        s.pure = bind(scope, s.lhs) && rhsPure;
        return;
      }
      case 'Def':
        fnDef(scope, s.fn);
        bind(scope, s.name);
        return;
      case 'If':
        if (!ctx.inFunction && !env.dialect.allowGlobalReassign) fail('if statement not within a function', s.pos);
        expr(scope, s.cond);
        block(scope, s.then, ctx);
        block(scope, s.else, ctx);
        return;
      case 'For':
        if (!ctx.inFunction && !env.dialect.allowGlobalReassign) fail('for loop not within a function', s.pos);
        expr(scope, s.iter);
        bind(scope, s.vars);
        block(scope, s.body, { ...ctx, inLoop: true });
        return;
      case 'While':
        if (!env.dialect.allowRecursion) fail(`${DOESNT} while loops`, s.pos);
        if (!ctx.inFunction && !env.dialect.allowGlobalReassign) fail('while loop not within a function', s.pos);
        expr(scope, s.cond);
        block(scope, s.body, { ...ctx, inLoop: true });
        return;
      case 'Return':
        if (!ctx.inFunction) fail('return statement not within a function', s.pos);
        if (s.result) expr(scope, s.result);
        return;
      case 'break':
      case 'continue':
        if (!ctx.inLoop) fail(`${s.kind} not in a loop`, s.pos);
        s.pure = true;
        return;
      case 'pass':
        s.pure = true;
        return;
      case 'Load':
        if (ctx.inFunction || scope !== top) fail('load statement within a function', s.pos);
        for (const n of s.names) bind(scope, n.local);
        return;
    }
  };

  block(top, stmts, { inLoop: false, inFunction: false });
  return { file, stmts, toplevel, globals: [...globals.keys()] };
}

interface NamePos {
  name: string;
  pos: Pos;
}

function targetNames(target: Expr): NamePos[] {
  switch (target.kind) {
    case 'Ident':
      return [{ name: target.name, pos: target.pos }];
    case 'Tuple':
    case 'List':
      return target.elems.flatMap(targetNames);
    default:
      return [];
  }
}

/** Names bound by a block's statements, not looking inside nested functions or comprehensions. */
function boundNames(body: Stmt[], toplevel: boolean): NamePos[] {
  const out: NamePos[] = [];
  const visit = (stmts: Stmt[]) => {
    for (const s of stmts) {
      switch (s.kind) {
        case 'Assign':
          out.push(...targetNames(s.lhs));
          break;
        case 'Def':
          out.push({ name: s.name.name, pos: s.name.pos });
          break;
        case 'For':
          out.push(...targetNames(s.vars));
          visit(s.body);
          break;
        case 'While':
          visit(s.body);
          break;
        case 'If':
          visit(s.then);
          visit(s.else);
          break;
        case 'Load':
          if (toplevel) for (const n of s.names) out.push({ name: n.local.name, pos: n.local.pos });
          break;
        default:
          break;
      }
    }
  };
  visit(body);
  return out;
}
