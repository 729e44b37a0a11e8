// The Kptfile's pipeline as kpt reads and validates it before running
// anything (kptfile/v1 Pipeline, Function, Selector).
import { parseDocument } from 'yaml';

export interface Selector {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface FunctionStep {
  image?: string;
  exec?: string;
  name?: string;
  configPath?: string;
  configMap?: Record<string, string>;
  selectors: Selector[];
  exclude: Selector[];
}

export interface Pipeline {
  mutators: FunctionStep[];
  validators: FunctionStep[];
}

export class KptfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KptfileError';
  }
}

/** kpt's ValidateError text. */
function invalid(field: string, reason: string, value?: string): KptfileError {
  return new KptfileError(`Kptfile is invalid:\nField: \`${field}\`\n${value ? `Value: ${JSON.stringify(value)}\n` : ''}Reason: ${reason}\n`);
}

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

function stringMap(v: unknown, field: string): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new KptfileError(`error reading Kptfile: ${field} must be a map of strings`);
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, x === null ? '' : String(x)]));
}

function selectors(v: unknown, field: string): Selector[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new KptfileError(`error reading Kptfile: ${field} must be a list`);
  return v.map((s: Record<string, unknown>, i) => ({
    apiVersion: str(s?.apiVersion),
    kind: str(s?.kind),
    name: str(s?.name),
    namespace: str(s?.namespace),
    labels: stringMap(s?.labels, `${field}[${i}].labels`),
    annotations: stringMap(s?.annotations, `${field}[${i}].annotations`),
  }));
}

const PATH_COMPONENT = '(?:[a-z0-9](?:(?:[_.]|__|[-]*)[a-z0-9]+)*)';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const IMAGE_NAME = new RegExp(
  `^(?:(?:${DOMAIN}\\/)?${PATH_COMPONENT}(?:\\/${PATH_COMPONENT})*(?:(?::|@)((?:[\\w][\\w.-]{0,127})|(?:sha256:[a-zA-Z0-9]{64})))?)$`,
);

function validateStep(f: FunctionStep, kind: string, i: number): void {
  const at = `pipeline.${kind}[${i}]`;
  if (!f.image && !f.exec) throw invalid(at, 'must specify a functon (`image` or `exec`) to execute');
  if (f.image && f.exec) throw invalid(at, 'must not specify both `image` and `exec` at the same time');
  if (f.image && !IMAGE_NAME.test(f.image)) throw invalid(`${at}.image`, `function name ${JSON.stringify(f.image)} is invalid`, f.image);
  if (f.configMap && Object.keys(f.configMap).length && f.configPath) {
    throw invalid(at, 'functionConfig must not specify both `configMap` and `configPath` at the same time');
  }
  if (f.configPath !== undefined) {
    const p = f.configPath.trim();
    if (!p) throw invalid(`${at}.configPath`, 'path must not be empty', f.configPath);
    if (p.startsWith('/')) throw invalid(`${at}.configPath`, 'path must be relative', f.configPath);
    if (p.includes('..')) throw invalid(`${at}.configPath`, 'path must not be outside the package', f.configPath);
  }
}

function steps(v: unknown, kind: 'mutators' | 'validators'): FunctionStep[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new KptfileError(`error reading Kptfile: pipeline.${kind} must be a list`);
  return v.map((raw: Record<string, unknown>, i) => {
    const f: FunctionStep = {
      image: str(raw?.image),
      exec: str(raw?.exec),
      name: str(raw?.name),
      configPath: str(raw?.configPath),
      configMap: stringMap(raw?.configMap, `pipeline.${kind}[${i}].configMap`),
      selectors: selectors(raw?.selectors, `pipeline.${kind}[${i}].selectors`),
      exclude: selectors(raw?.exclude, `pipeline.${kind}[${i}].exclude`),
    };
    validateStep(f, kind, i);
    return f;
  });
}

/** Reads and validates a Kptfile's pipeline (empty when it has none). */
export function readPipeline(kptfileText: string): Pipeline {
  const doc = parseDocument(kptfileText, { prettyErrors: false });
  if (doc.errors.length) throw new KptfileError(`error reading Kptfile: ${doc.errors[0]!.message.split('\n')[0]}`);
  const kf = (doc.toJS() ?? {}) as Record<string, unknown>;
  const pipeline = (kf.pipeline ?? {}) as Record<string, unknown>;
  if (typeof pipeline !== 'object') throw new KptfileError('error reading Kptfile: pipeline must be a map');
  try {
    return { mutators: steps(pipeline.mutators, 'mutators'), validators: steps(pipeline.validators, 'validators') };
  } catch (e) {
    if (!(e instanceof KptfileError)) throw e;
    throw new KptfileError(`invalid pipeline: ${e.message}`);
  }
}
