// A Starlark function activation: locals, captured cells and the module it
// runs in. Reading and writing a resolved name happens here.
import type { Binding, FunctionDef } from './ast.ts';
import { starError, type Pos } from './errors.ts';
import { Cell, type ModuleEnv } from './function.ts';
import type { StackFrame, Thread } from './thread.ts';
import type { Value } from './values.ts';

/** What the evaluator's generators yield: "let the event loop run now". */
export const PAUSE = Symbol('pause');
export type Gen<T> = Generator<typeof PAUSE, T, undefined>;

/** The module environment also holds the universe of built-ins. */
export interface ExecModule extends ModuleEnv {
  universe: Map<string, Value>;
}

export class Frame implements StackFrame {
  pos: Pos | null;
  locals: (Value | Cell | undefined)[] = [];
  result: Value = null;
  constructor(
    readonly thread: Thread,
    readonly def: FunctionDef,
    readonly module: ExecModule,
    readonly freevars: Cell[],
  ) {
    this.pos = def.pos;
  }

  /** Installs the bound arguments; captured slots become cells. */
  enter(locals: (Value | undefined)[]): void {
    this.locals = locals;
    for (const i of this.def.cells) this.locals[i] = new Cell(locals[i] as Value | undefined);
  }

  get name(): string {
    return this.def.name;
  }

  lookup(b: Binding): Value {
    let v: Value | undefined;
    switch (b.scope) {
      case 'local':
        v = this.locals[b.index] as Value | undefined;
        break;
      case 'cell':
        v = (this.locals[b.index] as Cell).v;
        break;
      case 'free':
        v = this.freevars[b.index]!.v;
        break;
      case 'global':
        v = this.module.globals[b.index];
        if (v === undefined) throw starError(`global variable ${b.name} referenced before assignment`);
        return v;
      case 'predeclared':
        v = this.module.predeclared.get(b.name);
        if (v === undefined) throw starError(`internal error: predeclared variable ${b.name} is uninitialized`);
        return v;
      case 'universal':
        v = this.module.universe.get(b.name);
        if (v === undefined) throw starError(`undefined: ${b.name}`);
        return v;
    }
    if (v === undefined) throw starError(`local variable ${b.name} referenced before assignment`);
    return v;
  }

  store(b: Binding, v: Value): void {
    switch (b.scope) {
      case 'local':
        this.locals[b.index] = v;
        return;
      case 'cell':
        (this.locals[b.index] as Cell).v = v;
        return;
      case 'free':
        this.freevars[b.index]!.v = v;
        return;
      case 'global':
        this.module.globals[b.index] = v;
        return;
      default:
        throw starError(`cannot assign to ${b.scope} name ${b.name}`);
    }
  }

  /** The cell a nested function captures for `b` (a binding of this frame). */
  cellFor(b: Binding): Cell {
    return b.scope === 'cell' ? (this.locals[b.index] as Cell) : this.freevars[b.index]!;
  }
}
