// math.star: go.starlark.net's math module. Functions take int or float and
// return float, except ceil and floor, which return int.
import { floatToInt } from '../builtins-convert.ts';
import { starError } from '../errors.ts';
import { typeName, type BuiltinFn, type Value } from '../values.ts';
import { floatArg, makeModule, positionalArgs } from './module-args.ts';

function unary(name: string, f: (x: number) => number): BuiltinFn {
  return (_t, args, kwargs) => f(floatArg(`math.${name}`, 0, positionalArgs(`math.${name}`, args, kwargs, 1)[0]));
}

function binary(name: string, f: (x: number, y: number) => number): BuiltinFn {
  return (_t, args, kwargs) => {
    const [x, y] = positionalArgs(`math.${name}`, args, kwargs, 2);
    return f(floatArg(`math.${name}`, 0, x), floatArg(`math.${name}`, 1, y));
  };
}

function rounding(name: string, f: (x: number) => number): BuiltinFn {
  return (_t, args, kwargs) => {
    const [x] = positionalArgs(`math.${name}`, args, kwargs, 1) as [Value];
    if (typeof x === 'bigint') return x;
    if (typeof x !== 'number') throw starError(`math.${name}: got ${typeName(x)}, want float or int`);
    try {
      return floatToInt(f(x));
    } catch (e) {
      throw starError(`math.${name}: ${(e as Error).message}`);
    }
  };
}

/** IEEE 754 remainder: x - n*y with n the integer nearest x/y, ties to even. */
function remainder(x: number, y: number): number {
  const q = x / y;
  let n = Math.round(q);
  if (Math.abs(q - Math.trunc(q)) === 0.5) n = 2 * Math.round(q / 2);
  return x - n * y;
}

/** Lanczos approximation of the gamma function. */
function gamma(x: number): number {
  if (Number.isInteger(x) && x <= 0) return NaN;
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let a = c[0]!;
  const t = z + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (z + i);
  return Math.sqrt(2 * Math.PI) * Math.pow(t, z + 0.5) * Math.exp(-t) * a;
}

export const mathModule = makeModule(
  'math',
  {
    ceil: rounding('ceil', Math.ceil),
    copysign: binary('copysign', (x, y) => (y < 0 || Object.is(y, -0) ? -Math.abs(x) : Math.abs(x))),
    fabs: unary('fabs', Math.abs),
    floor: rounding('floor', Math.floor),
    mod: binary('mod', (x, y) => x % y),
    pow: binary('pow', Math.pow),
    remainder: binary('remainder', remainder),
    round: unary('round', (x) => Math.sign(x) * Math.round(Math.abs(x))),
    exp: unary('exp', Math.exp),
    sqrt: unary('sqrt', Math.sqrt),
    acos: unary('acos', Math.acos),
    asin: unary('asin', Math.asin),
    atan: unary('atan', Math.atan),
    atan2: binary('atan2', Math.atan2),
    cos: unary('cos', Math.cos),
    hypot: binary('hypot', Math.hypot),
    sin: unary('sin', Math.sin),
    tan: unary('tan', Math.tan),
    degrees: unary('degrees', (x) => (360 * x) / (2 * Math.PI)),
    radians: unary('radians', (x) => (2 * Math.PI * x) / 360),
    acosh: unary('acosh', Math.acosh),
    asinh: unary('asinh', Math.asinh),
    atanh: unary('atanh', Math.atanh),
    cosh: unary('cosh', Math.cosh),
    sinh: unary('sinh', Math.sinh),
    tanh: unary('tanh', Math.tanh),
    log: (_t, args, kwargs) => {
      const [x, base] = positionalArgs('math.log', args, kwargs, 1, 2);
      const b = base === undefined ? Math.E : floatArg('math.log', 1, base);
      if (b === 1) throw starError('math.log: division by zero');
      return Math.log(floatArg('math.log', 0, x)) / Math.log(b);
    },
    gamma: unary('gamma', gamma),
  },
  { e: Math.E, pi: Math.PI },
);
