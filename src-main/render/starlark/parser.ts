// Statement parsing: a file is statements; a suite is an indented block or
// simple statements on the same line.
import { newFunctionDef, type Expr, type Ident, type Stmt } from './ast.ts';
import { tokenize } from './lexer.ts';
import { ExprParser } from './parser-expr.ts';

const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '//=', '%=', '&=', '|=', '^=', '<<=', '>>=']);

export function parseFile(src: string, file: string): Stmt[] {
  return new StmtParser(tokenize(src, file)).parseFile();
}

class StmtParser extends ExprParser {
  parseFile(): Stmt[] {
    const stmts: Stmt[] = [];
    while (this.kind() !== 'EOF') {
      if (this.kind() === 'NEWLINE') this.next();
      else stmts.push(...this.parseStmt());
    }
    return stmts;
  }

  private parseStmt(): Stmt[] {
    switch (this.kind()) {
      case 'def':
        return [this.parseDef()];
      case 'if':
        return [this.parseIf()];
      case 'for': {
        const pos = this.next().pos;
        const vars = this.parseLoopVars();
        this.expect('in');
        const iter = this.parseExpr();
        this.expect(':');
        return [{ kind: 'For', pos, vars, iter, body: this.parseSuite() }];
      }
      case 'while': {
        const pos = this.next().pos;
        const cond = this.parseTest();
        this.expect(':');
        return [{ kind: 'While', pos, cond, body: this.parseSuite() }];
      }
      default:
        return this.parseSimpleLine();
    }
  }

  private parseDef(): Stmt {
    const pos = this.next().pos;
    const id = this.ident();
    this.expect('(');
    const params = this.parseParams(')');
    this.expect(')');
    this.expect(':');
    const body = this.parseSuite();
    const name: Ident = { kind: 'Ident', pos: id.pos, name: id.name };
    return { kind: 'Def', pos, name, fn: newFunctionDef(id.name, id.pos, params, body) };
  }

  private parseIf(): Stmt {
    const pos = this.next().pos;
    const cond = this.parseTest();
    this.expect(':');
    const then = this.parseSuite();
    let otherwise: Stmt[] = [];
    if (this.kind() === 'elif') otherwise = [this.parseIf()];
    else if (this.kind() === 'else') {
      this.next();
      this.expect(':');
      otherwise = this.parseSuite();
    }
    return { kind: 'If', pos, cond, then, else: otherwise };
  }

  private parseSuite(): Stmt[] {
    if (this.kind() !== 'NEWLINE') return this.parseSimpleLine();
    this.next();
    this.expect('INDENT');
    const body: Stmt[] = [];
    while (this.kind() !== 'OUTDENT' && this.kind() !== 'EOF') {
      if (this.kind() === 'NEWLINE') this.next();
      else body.push(...this.parseStmt());
    }
    this.expect('OUTDENT');
    return body;
  }

  private parseSimpleLine(): Stmt[] {
    const stmts = [this.parseSmall()];
    while (this.kind() === ';') {
      this.next();
      if (this.kind() === 'NEWLINE' || this.kind() === 'EOF') break;
      stmts.push(this.parseSmall());
    }
    if (this.kind() !== 'EOF') this.expect('NEWLINE');
    return stmts;
  }

  private parseSmall(): Stmt {
    const t = this.tok;
    switch (t.kind) {
      case 'return': {
        this.next();
        const end = ['NEWLINE', 'EOF', ';'].includes(this.kind());
        return { kind: 'Return', pos: t.pos, result: end ? undefined : this.parseExpr() };
      }
      case 'break':
      case 'continue':
      case 'pass':
        this.next();
        return { kind: t.kind, pos: t.pos };
      case 'load':
        return this.parseLoad();
    }
    const x = this.parseExpr();
    if (!ASSIGN_OPS.has(this.kind())) return { kind: 'ExprStmt', pos: t.pos, x };
    const op = this.next();
    checkAssignable(x, op.kind, (msg, at) => this.fail(msg, at));
    return { kind: 'Assign', pos: op.pos, op: op.kind, lhs: x, rhs: this.parseExpr() };
  }

  private parseLoad(): Stmt {
    const pos = this.next().pos;
    this.expect('(');
    const module = this.expect('STRING').value as string;
    const names: { local: Ident; orig: string }[] = [];
    while (this.kind() === ',') {
      this.next();
      if (this.kind() === ')') break;
      let local: Ident;
      if (this.kind() === 'IDENT') {
        const id = this.ident();
        this.expect('=');
        local = { kind: 'Ident', pos: id.pos, name: id.name };
      } else {
        local = { kind: 'Ident', pos: this.tok.pos, name: '' };
      }
      const orig = this.expect('STRING');
      const origName = orig.value as string;
      if (local.name === '') local.name = origName;
      if (origName.startsWith('_')) this.fail(`load: names with leading underscores are not exported: ${origName}`, orig.pos);
      if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(local.name)) this.fail(`load: invalid identifier in load: ${JSON.stringify(local.name)}`, orig.pos);
      names.push({ local, orig: origName });
    }
    this.expect(')');
    if (names.length === 0) this.fail('load statement must import at least 1 symbol', pos);
    return { kind: 'Load', pos, module, names };
  }
}

/** The left side of `=` may be a name, x.f, x[i] or a tuple/list of those; of `+=` etc. not a tuple. */
function checkAssignable(x: Expr, op: string, fail: (msg: string, pos: Expr['pos']) => never): void {
  switch (x.kind) {
    case 'Ident':
    case 'Dot':
    case 'Index':
      return;
    case 'Tuple':
    case 'List':
      if (op !== '=') fail(`can't use ${op} with ${x.kind === 'Tuple' ? 'tuple' : 'list'} expression`, x.pos);
      for (const e of x.elems) checkAssignable(e, op, fail);
      return;
    default:
      fail(`can't assign to ${x.kind === 'Literal' ? 'literal' : x.kind === 'Call' ? 'call' : x.kind.toLowerCase()} expression`, x.pos);
  }
}
