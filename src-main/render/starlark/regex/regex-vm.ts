// A Pike VM: the parsed expression compiles to a small program whose threads
// advance in lock step over the input, so matching takes time linear in the
// input (times the program size) and gives Go's leftmost-first results.
import { starError } from '../errors.ts';
import { parseRegex, type AssertKind, type CharTest, type Re } from './regex-parse.ts';

type Inst =
  | { op: 'char'; test: CharTest }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'save'; n: number }
  | { op: 'assert'; kind: AssertKind }
  | { op: 'match' };

const MAX_PROGRAM = 50_000;

function compile(re: Re): Inst[] {
  const prog: Inst[] = [];
  const emit = (inst: Inst): number => {
    if (prog.length >= MAX_PROGRAM) throw starError('error parsing regexp: expression too large');
    prog.push(inst);
    return prog.length - 1;
  };
  const gen = (r: Re): void => {
    switch (r.t) {
      case 'char':
        emit({ op: 'char', test: r.test });
        return;
      case 'assert':
        emit({ op: 'assert', kind: r.kind });
        return;
      case 'empty':
        return;
      case 'cat':
        r.xs.forEach(gen);
        return;
      case 'group':
        if (r.index === null) return gen(r.x);
        emit({ op: 'save', n: 2 * r.index });
        gen(r.x);
        emit({ op: 'save', n: 2 * r.index + 1 });
        return;
      case 'alt': {
        const jumps: number[] = [];
        r.xs.forEach((x, k) => {
          if (k < r.xs.length - 1) {
            const split = emit({ op: 'split', x: 0, y: 0 });
            (prog[split] as { x: number }).x = prog.length;
            gen(x);
            jumps.push(emit({ op: 'jmp', x: 0 }));
            (prog[split] as { y: number }).y = prog.length;
          } else gen(x);
        });
        for (const j of jumps) (prog[j] as { x: number }).x = prog.length;
        return;
      }
      case 'rep': {
        for (let k = 0; k < r.min; k++) gen(r.x);
        if (r.max === Infinity) {
          const loop = emit({ op: 'split', x: 0, y: 0 });
          const body = prog.length;
          gen(r.x);
          emit({ op: 'jmp', x: loop });
          setSplit(prog, loop, body, prog.length, r.greedy);
          return;
        }
        const splits: number[] = [];
        for (let k = r.min; k < r.max; k++) {
          splits.push(emit({ op: 'split', x: 0, y: 0 }));
          gen(r.x);
        }
        splits.forEach((s) => setSplit(prog, s, s + 1, prog.length, r.greedy));
        return;
      }
    }
  };
  emit({ op: 'save', n: 0 });
  gen(re);
  emit({ op: 'save', n: 1 });
  emit({ op: 'match' });
  return prog;
}

function setSplit(prog: Inst[], at: number, body: number, out: number, greedy: boolean): void {
  prog[at] = greedy ? { op: 'split', x: body, y: out } : { op: 'split', x: out, y: body };
}

const isWord = (c: number | undefined) => c !== undefined && ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95);

function holds(kind: AssertKind, input: number[], pos: number): boolean {
  switch (kind) {
    case 'bot':
      return pos === 0;
    case 'eot':
      return pos === input.length;
    case 'bol':
      return pos === 0 || input[pos - 1] === 10;
    case 'eol':
      return pos === input.length || input[pos] === 10;
    case 'wordb':
      return isWord(input[pos - 1]) !== isWord(input[pos]);
    case 'nwordb':
      return isWord(input[pos - 1]) === isWord(input[pos]);
  }
}

interface VmThread {
  pc: number;
  caps: number[];
}

export class Regex {
  readonly groups: number;
  readonly names: (string | undefined)[];
  private readonly prog: Inst[];
  constructor(readonly source: string) {
    const parsed = parseRegex(source);
    this.groups = parsed.groups;
    this.names = parsed.names;
    this.prog = compile(parsed.re);
  }

  /**
   * The leftmost-first match at or after `start` in `input` (code points):
   * capture positions, -1 for unset groups; null when there is none.
   * `tick` is charged with the work done, so the sandbox's limits apply.
   */
  exec(input: number[], start: number, tick: (n: number) => void): number[] | null {
    const prog = this.prog;
    const ncap = 2 * (this.groups + 1);
    const mark = new Int32Array(prog.length).fill(-1);
    let clist: VmThread[] = [];
    let matched: number[] | null = null;

    const add = (list: VmThread[], pc0: number, pos: number, caps0: number[]) => {
      const stack: [number, number[]][] = [[pc0, caps0]];
      while (stack.length > 0) {
        const [pc, caps] = stack.pop()!;
        if (mark[pc] === pos) continue;
        mark[pc] = pos;
        const inst = prog[pc]!;
        switch (inst.op) {
          case 'jmp':
            stack.push([inst.x, caps]);
            break;
          case 'split':
            stack.push([inst.y, caps], [inst.x, caps]);
            break;
          case 'save': {
            const next = caps.slice();
            next[inst.n] = pos;
            stack.push([pc + 1, next]);
            break;
          }
          case 'assert':
            if (holds(inst.kind, input, pos)) stack.push([pc + 1, caps]);
            break;
          default:
            list.push({ pc, caps });
        }
      }
    };

    for (let pos = start; ; pos++) {
      if (matched === null) add(clist, 0, pos, new Array(ncap).fill(-1));
      if (clist.length === 0) {
        if (matched !== null || pos >= input.length) break;
        continue;
      }
      tick(clist.length);
      const nlist: VmThread[] = [];
      for (const t of clist) {
        const inst = prog[t.pc]!;
        if (inst.op === 'match') {
          matched = t.caps;
          break;
        }
        if (inst.op === 'char' && pos < input.length && inst.test(input[pos]!)) add(nlist, t.pc + 1, pos + 1, t.caps);
      }
      clist = nlist;
      if (pos >= input.length) break;
    }
    return matched;
  }

  /** Go's FindAll: successive matches; an empty match right after a match is skipped. */
  findAll(input: number[], limit: number, tick: (n: number) => void): number[][] {
    const out: number[][] = [];
    let prevEnd = -1;
    for (let pos = 0; (limit < 0 || out.length < limit) && pos <= input.length;) {
      const m = this.exec(input, pos, tick);
      if (!m) break;
      let accept = true;
      if (m[1] === m[0]) {
        if (m[0] === prevEnd) accept = false;
        pos = m[1]! + 1;
      } else {
        pos = m[1]!;
      }
      prevEnd = m[1]!;
      if (accept) out.push(m);
    }
    return out;
  }
}
