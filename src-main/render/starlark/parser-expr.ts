// Expression parsing by precedence climbing, following the grammar of
// go.starlark.net (syntax/grammar.txt): no chained comparisons, no generator
// expressions, lambda and conditional expressions at the Test level.
import { newFunctionDef, type Arg, type Clause, type Expr, type Param } from './ast.ts';
import { StarlarkSyntaxError, type Pos } from './errors.ts';
import type { Token } from './lexer.ts';

const PREC_OR = 1;
const PREC_NOT = 3;
const PREC_CMP = 4;
const PREC_MAX = 10;

const BINARY_PREC: Record<string, number> = {
  or: 1,
  and: 2,
  '==': 4,
  '!=': 4,
  '<': 4,
  '>': 4,
  '<=': 4,
  '>=': 4,
  in: 4,
  'not in': 4,
  '|': 5,
  '^': 6,
  '&': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '//': 10,
  '%': 10,
};

function describe(t: Token): string {
  switch (t.kind) {
    case 'IDENT':
      return `identifier ${String(t.value)}`;
    case 'INT':
      return 'int literal';
    case 'FLOAT':
      return 'float literal';
    case 'STRING':
      return 'string literal';
    case 'NEWLINE':
      return 'newline';
    case 'INDENT':
      return 'indent';
    case 'OUTDENT':
      return 'outdent';
    case 'EOF':
      return 'end of file';
    default:
      return `'${t.kind}'`;
  }
}

export class ExprParser {
  protected i = 0;
  constructor(protected readonly tokens: Token[]) {}

  protected get tok(): Token {
    return this.tokens[this.i]!;
  }
  protected kind(): string {
    return this.tokens[this.i]!.kind;
  }
  protected peek(offset = 1): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }
  protected next(): Token {
    const t = this.tok;
    if (t.kind !== 'EOF') this.i++;
    return t;
  }
  protected fail(msg: string, pos: Pos = this.tok.pos): never {
    throw new StarlarkSyntaxError(msg, pos);
  }
  protected expect(kind: string): Token {
    if (this.kind() !== kind) this.fail(`got ${describe(this.tok)}, want ${kind.length > 1 && /^[A-Z]+$/.test(kind) ? kind.toLowerCase() : `'${kind}'`}`);
    return this.next();
  }
  protected ident(): { name: string; pos: Pos } {
    const t = this.expect('IDENT');
    return { name: t.value as string, pos: t.pos };
  }

  /** Expression = Test {',' Test}; a bare comma list is a tuple. */
  parseExpr(inParens = false): Expr {
    const pos = this.tok.pos;
    const x = this.parseTest();
    if (this.kind() !== ',') return x;
    const elems = [x];
    while (this.kind() === ',') {
      this.next();
      if (inParens && (this.kind() === ')' || this.kind() === ']')) break;
      elems.push(this.parseTest());
    }
    return { kind: 'Tuple', pos, elems, parens: false };
  }

  parseTest(): Expr {
    if (this.kind() === 'lambda') return this.parseLambda(true);
    const x = this.parseTestPrec(PREC_OR);
    if (this.kind() !== 'if') return x;
    const pos = this.next().pos;
    const cond = this.parseTestPrec(PREC_OR);
    if (this.kind() !== 'else') this.fail('conditional expression without else clause');
    this.next();
    return { kind: 'Cond', pos, cond, then: x, else: this.parseTest() };
  }

  /** A Test that is not a conditional expression (comprehension clauses). */
  private parseTestNoCond(): Expr {
    if (this.kind() === 'lambda') return this.parseLambda(false);
    return this.parseTestPrec(PREC_OR);
  }

  private parseLambda(allowCond: boolean): Expr {
    const pos = this.next().pos;
    const params = this.kind() === ':' ? [] : this.parseParams(':');
    this.expect(':');
    const body = allowCond ? this.parseTest() : this.parseTestNoCond();
    const fn = newFunctionDef('lambda', pos, params, [{ kind: 'Return', pos: body.pos, result: body }]);
    return { kind: 'Lambda', pos, fn };
  }

  private binop(): string | undefined {
    const k = this.kind();
    if (k === 'not' && this.peek().kind === 'in') return 'not in';
    return Object.hasOwn(BINARY_PREC, k) ? k : undefined;
  }

  private parseTestPrec(prec: number): Expr {
    if (prec > PREC_MAX) return this.parseUnary();
    if (prec === PREC_NOT) {
      if (this.kind() === 'not' && this.peek().kind !== 'in') {
        const pos = this.next().pos;
        return { kind: 'Unary', pos, op: 'not', x: this.parseTestPrec(PREC_NOT) };
      }
      return this.parseTestPrec(prec + 1);
    }
    let x = this.parseTestPrec(prec + 1);
    let lastCmp: string | undefined;
    for (;;) {
      const op = this.binop();
      if (!op || BINARY_PREC[op] !== prec) return x;
      if (prec === PREC_CMP && lastCmp) this.fail(`${lastCmp} does not associate with ${op} (use parens)`);
      const pos = this.tok.pos;
      this.next();
      if (op === 'not in') this.next();
      const y = this.parseTestPrec(prec + 1);
      x = { kind: 'Binary', pos, op, x, y };
      if (prec === PREC_CMP) lastCmp = op;
    }
  }

  private parseUnary(): Expr {
    const k = this.kind();
    if (k === '-' || k === '+' || k === '~') {
      const pos = this.next().pos;
      return { kind: 'Unary', pos, op: k, x: this.parseUnary() };
    }
    return this.parsePrimary();
  }

  protected parsePrimary(): Expr {
    let x = this.parseOperand();
    for (;;) {
      const t = this.tok;
      if (t.kind === '.') {
        this.next();
        const id = this.ident();
        x = { kind: 'Dot', pos: t.pos, x, name: id.name };
      } else if (t.kind === '(') {
        this.next();
        x = { kind: 'Call', pos: t.pos, fn: x, args: this.parseArgs() };
      } else if (t.kind === '[') {
        this.next();
        x = this.parseIndexOrSlice(x, t.pos);
      } else {
        return x;
      }
    }
  }

  private parseIndexOrSlice(x: Expr, pos: Pos): Expr {
    let lo: Expr | undefined;
    if (this.kind() !== ':') {
      lo = this.parseExpr(true);
      if (this.kind() === ']') {
        this.next();
        return { kind: 'Index', pos, x, index: lo };
      }
    }
    this.expect(':');
    const hi = this.kind() !== ':' && this.kind() !== ']' ? this.parseTest() : undefined;
    let step: Expr | undefined;
    if (this.kind() === ':') {
      this.next();
      if (this.kind() !== ']') step = this.parseTest();
    }
    this.expect(']');
    return { kind: 'Slice', pos, x, lo, hi, step };
  }

  private parseArgs(): Arg[] {
    const args: Arg[] = [];
    let seen: 'pos' | 'named' | 'star' | 'starstar' = 'pos';
    while (this.kind() !== ')') {
      const pos = this.tok.pos;
      let arg: Arg;
      if (this.kind() === '*' || this.kind() === '**') {
        const kind = this.next().kind === '*' ? 'star' : 'starstar';
        arg = { kind, value: this.parseTest() };
      } else if (this.kind() === 'IDENT' && this.peek().kind === '=') {
        const name = this.next().value as string;
        this.next();
        arg = { kind: 'named', name, value: this.parseTest() };
      } else {
        arg = { kind: 'pos', value: this.parseTest() };
      }
      if (arg.kind === 'pos' && seen !== 'pos') {
        this.fail(
          seen === 'named' ? 'positional argument may not follow named' : `positional argument may not follow ${seen === 'star' ? '*args' : '**kwargs'}`,
          pos,
        );
      }
      if (arg.kind === 'named' && seen === 'starstar') this.fail('keyword argument may not follow **kwargs', pos);
      if (arg.kind === 'star' && seen === 'star') this.fail('multiple *args not allowed', pos);
      if (arg.kind === 'star' && seen === 'starstar') this.fail('*args may not follow **kwargs', pos);
      if (arg.kind === 'starstar' && seen === 'starstar') this.fail('multiple **kwargs not allowed', pos);
      if (arg.kind !== 'pos' && !(arg.kind === 'named' && seen === 'star')) seen = arg.kind;
      args.push(arg);
      if (this.kind() !== ',') break;
      this.next();
    }
    this.expect(')');
    return args;
  }

  /** Parameters of a def or lambda, up to (not including) `end`. */
  protected parseParams(end: string): Param[] {
    const params: Param[] = [];
    const names = new Set<string>();
    let sawOptional = false;
    let sawStar = false;
    let sawStarStar = false;
    while (this.kind() !== end) {
      const pos = this.tok.pos;
      if (sawStarStar) this.fail('parameter may not follow **kwargs');
      let p: Param;
      if (this.kind() === '*' || this.kind() === '**') {
        const star = this.next().kind === '*';
        if (star && sawStar) this.fail('multiple * parameters not allowed', pos);
        const name = star && this.kind() !== 'IDENT' ? undefined : this.ident().name;
        p = { kind: star ? 'star' : 'starstar', name, pos };
        if (star) sawStar = true;
        else sawStarStar = true;
      } else {
        const name = this.ident().name;
        if (this.kind() === '=') {
          this.next();
          p = { kind: 'optional', name, pos, default: this.parseTest() };
          sawOptional = true;
        } else {
          if (sawOptional && !sawStar) this.fail('required parameter may not follow optional', pos);
          p = { kind: 'required', name, pos };
        }
      }
      if (p.name !== undefined) {
        if (names.has(p.name)) this.fail(`duplicate parameter: ${p.name}`, pos);
        names.add(p.name);
      }
      params.push(p);
      if (this.kind() !== ',') break;
      this.next();
    }
    const bare = params.findIndex((p) => p.kind === 'star' && p.name === undefined);
    if (bare >= 0 && !params.slice(bare + 1).some((p) => p.kind === 'required' || p.kind === 'optional')) {
      this.fail('bare * must be followed by keyword-only parameters', params[bare]!.pos);
    }
    return params;
  }

  private parseOperand(): Expr {
    const t = this.tok;
    switch (t.kind) {
      case 'IDENT':
        this.next();
        return { kind: 'Ident', pos: t.pos, name: t.value as string };
      case 'INT':
      case 'FLOAT':
      case 'STRING':
        this.next();
        return { kind: 'Literal', pos: t.pos, value: t.value! };
      case '(': {
        this.next();
        if (this.kind() === ')') {
          this.next();
          return { kind: 'Tuple', pos: t.pos, elems: [], parens: true };
        }
        const x = this.parseExpr(true);
        this.expect(')');
        if (x.kind === 'Tuple' && !x.parens) return { ...x, parens: true };
        return x;
      }
      case '[':
        return this.parseList(t.pos);
      case '{':
        return this.parseDict(t.pos);
      default:
        return this.fail(`got ${describe(t)}, want primary expression`);
    }
  }

  private parseList(pos: Pos): Expr {
    this.next();
    if (this.kind() === ']') {
      this.next();
      return { kind: 'List', pos, elems: [] };
    }
    const first = this.parseTest();
    if (this.kind() === 'for') {
      const clauses = this.parseClauses();
      this.expect(']');
      return { kind: 'Comprehension', pos, dict: false, body: first, clauses };
    }
    const elems = [first];
    while (this.kind() === ',') {
      this.next();
      if (this.kind() === ']') break;
      elems.push(this.parseTest());
    }
    this.expect(']');
    return { kind: 'List', pos, elems };
  }

  private parseDict(pos: Pos): Expr {
    this.next();
    if (this.kind() === '}') {
      this.next();
      return { kind: 'Dict', pos, entries: [] };
    }
    const k = this.parseTest();
    this.expect(':');
    const v = this.parseTest();
    if (this.kind() === 'for') {
      const clauses = this.parseClauses();
      this.expect('}');
      return { kind: 'Comprehension', pos, dict: true, body: k, value: v, clauses };
    }
    const entries: [Expr, Expr][] = [[k, v]];
    while (this.kind() === ',') {
      this.next();
      if (this.kind() === '}') break;
      const key = this.parseTest();
      this.expect(':');
      entries.push([key, this.parseTest()]);
    }
    this.expect('}');
    return { kind: 'Dict', pos, entries };
  }

  private parseClauses(): Clause[] {
    const clauses: Clause[] = [];
    while (this.kind() === 'for' || this.kind() === 'if') {
      const pos = this.tok.pos;
      if (this.next().kind === 'for') {
        const vars = this.parseLoopVars();
        this.expect('in');
        clauses.push({ kind: 'for', pos, vars, iter: this.parseTestNoCond() });
      } else {
        clauses.push({ kind: 'if', pos, cond: this.parseTestNoCond() });
      }
    }
    return clauses;
  }

  /** LoopVariables = PrimaryExpr {',' PrimaryExpr}. */
  protected parseLoopVars(): Expr {
    const pos = this.tok.pos;
    const first = this.parsePrimary();
    if (this.kind() !== ',') return first;
    const elems = [first];
    while (this.kind() === ',') {
      this.next();
      if (this.kind() === 'in') break;
      elems.push(this.parsePrimary());
    }
    return { kind: 'Tuple', pos, elems, parens: false };
  }
}
