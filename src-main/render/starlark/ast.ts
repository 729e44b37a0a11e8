// The syntax tree. The resolver fills in `binding` on identifiers and the
// function layouts; the evaluator walks the tree.
import type { Pos } from './errors.ts';
import type { Value } from './values.ts';

export type BindingScope = 'local' | 'cell' | 'free' | 'global' | 'predeclared' | 'universal';

/** Where a name lives; shared by all uses so that a later capture turns 'local' into 'cell'. */
export interface Binding {
  scope: BindingScope;
  name: string;
  index: number;
  /** Where the name was first bound (for locals and globals). */
  pos?: Pos;
}

export interface Ident {
  kind: 'Ident';
  pos: Pos;
  name: string;
  binding?: Binding;
}
export interface Literal {
  kind: 'Literal';
  pos: Pos;
  value: Value;
}
export interface ListExpr {
  kind: 'List';
  pos: Pos;
  elems: Expr[];
}
export interface TupleExpr {
  kind: 'Tuple';
  pos: Pos;
  elems: Expr[];
  parens: boolean;
}
export interface DictExpr {
  kind: 'Dict';
  pos: Pos;
  entries: [Expr, Expr][];
}
export interface UnaryExpr {
  kind: 'Unary';
  pos: Pos;
  op: string;
  x: Expr;
}
export interface BinaryExpr {
  kind: 'Binary';
  pos: Pos;
  op: string;
  x: Expr;
  y: Expr;
}
export interface CondExpr {
  kind: 'Cond';
  pos: Pos;
  cond: Expr;
  then: Expr;
  else: Expr;
}
export interface DotExpr {
  kind: 'Dot';
  pos: Pos;
  x: Expr;
  name: string;
}
export interface IndexExpr {
  kind: 'Index';
  pos: Pos;
  x: Expr;
  index: Expr;
}
export interface SliceExpr {
  kind: 'Slice';
  pos: Pos;
  x: Expr;
  lo?: Expr;
  hi?: Expr;
  step?: Expr;
}
export interface Arg {
  kind: 'pos' | 'named' | 'star' | 'starstar';
  name?: string;
  value: Expr;
}
export interface CallExpr {
  kind: 'Call';
  pos: Pos;
  fn: Expr;
  args: Arg[];
}
export interface LambdaExpr {
  kind: 'Lambda';
  pos: Pos;
  fn: FunctionDef;
}

export type Clause = { kind: 'for'; pos: Pos; vars: Expr; iter: Expr } | { kind: 'if'; pos: Pos; cond: Expr };
export interface ComprehensionExpr {
  kind: 'Comprehension';
  pos: Pos;
  /** `{k: v for ...}` when true; `[x for ...]` otherwise. */
  dict: boolean;
  body: Expr;
  value?: Expr;
  clauses: Clause[];
}

/** `pure` (set by the resolver): the expression calls nothing, so it is evaluated without a generator. */
export type Expr = (
  | Ident
  | Literal
  | ListExpr
  | TupleExpr
  | DictExpr
  | UnaryExpr
  | BinaryExpr
  | CondExpr
  | DotExpr
  | IndexExpr
  | SliceExpr
  | CallExpr
  | LambdaExpr
  | ComprehensionExpr
) & { pure?: boolean };

export interface Param {
  kind: 'required' | 'optional' | 'star' | 'starstar';
  /** Absent for a bare `*`. */
  name?: string;
  pos: Pos;
  default?: Expr;
  /** Its local slot, after resolve (none for a bare `*`). */
  slot?: number;
}

/** A def or lambda body and, after resolve, its frame layout. */
export interface FunctionDef {
  name: string;
  pos: Pos;
  params: Param[];
  body: Stmt[];
  /** Number of local slots (parameters first, in order). */
  numLocals: number;
  /** Local slots captured by nested functions: they hold a Cell. */
  cells: number[];
  /** For each free variable, its binding in the enclosing function. */
  freevars: Binding[];
}

export interface ExprStmt {
  kind: 'ExprStmt';
  pos: Pos;
  x: Expr;
}
export interface AssignStmt {
  kind: 'Assign';
  pos: Pos;
  op: string;
  lhs: Expr;
  rhs: Expr;
}
export interface DefStmt {
  kind: 'Def';
  pos: Pos;
  name: Ident;
  fn: FunctionDef;
}
export interface IfStmt {
  kind: 'If';
  pos: Pos;
  cond: Expr;
  then: Stmt[];
  else: Stmt[];
}
export interface ForStmt {
  kind: 'For';
  pos: Pos;
  vars: Expr;
  iter: Expr;
  body: Stmt[];
}
export interface WhileStmt {
  kind: 'While';
  pos: Pos;
  cond: Expr;
  body: Stmt[];
}
export interface ReturnStmt {
  kind: 'Return';
  pos: Pos;
  result?: Expr;
}
export interface BranchStmt {
  kind: 'break' | 'continue' | 'pass';
  pos: Pos;
}
export interface LoadStmt {
  kind: 'Load';
  pos: Pos;
  module: string;
  names: { local: Ident; orig: string }[];
}

/** `pure` (set by the resolver): a simple statement that calls nothing, run without a generator. */
export type Stmt = (ExprStmt | AssignStmt | DefStmt | IfStmt | ForStmt | WhileStmt | ReturnStmt | BranchStmt | LoadStmt) & { pure?: boolean };

export interface FileAst {
  file: string;
  stmts: Stmt[];
  /** The module's top-level code, run as a function without parameters. */
  toplevel: FunctionDef;
  /** Global names by slot, after resolve. */
  globals: string[];
}

export function newFunctionDef(name: string, pos: Pos, params: Param[], body: Stmt[]): FunctionDef {
  return { name, pos, params, body, numLocals: 0, cells: [], freevars: [] };
}
