// One function run as kpt's FunctionRunner and kyaml's FunctionFilter run it:
// ids set on the input, the function called (built in, or outside through
// the ResourceList), comments and order patched back, ids cleared, paths
// defaulted and checked, results recorded and printed.
import type { Document } from 'yaml';
import { FunctionError, type BuiltinFunction, type FnResultItem } from '../krm-function.ts';
import { clearAnnotation, getAnnotation, resourceMeta, setAnnotation } from '../krm/resource.ts';
import { ANN } from '../package/annotation-keys.ts';
import { defaultPathAnnotation } from '../package/write-resources.ts';
import { applyRoundTripEffects, dropTrailingFeet } from '../yaml/kpt-round-trip.ts';
import { copyComments, parseResourceList, resourceListText, syncOrder, type ExternalRunner } from './external-call.ts';
import { multiLine, resultLine, type FunctionResult, type FunctionResultList } from './results.ts';

export interface StepEnv {
  lookup: (image: string) => BuiltinFunction | undefined;
  runExternal?: ExternalRunner;
  print: (line: string) => void;
  results: FunctionResultList;
  deadline?: number;
}

export interface StepSpec {
  image?: string;
  exec?: string;
  functionConfig?: Document;
  displayResourceCount: boolean;
  /** Render: the package a resource without one belongs to. */
  packagePath?: string;
}

/** A step failed; kpt has printed why (the message repeats it for callers that print nothing). */
export class StepFailure extends Error {
  constructor(
    message: string,
    readonly printed: boolean,
  ) {
    super(message);
    this.name = 'StepFailure';
  }
}

/** kptfile AreKRM: every resource needs apiVersion, kind and metadata.name. */
export function checkKrm(docs: Document[]): string | undefined {
  for (const doc of docs) {
    const m = resourceMeta(doc);
    const reason =
      !doc.contents || typeof doc.contents !== 'object' || !('items' in doc.contents)
        ? 'resource must have `apiVersion`, `kind`, and `name`'
        : m.kind === 'Kustomization'
          ? undefined
          : !m.apiVersion
            ? 'resource must have `apiVersion`'
            : !m.kind
              ? 'resource must have `kind`'
              : !m.name
                ? 'resource must have `metadata.name`'
                : undefined;
    if (reason) return `${getAnnotation(doc, ANN.path) ?? getAnnotation(doc, ANN.legacyPath) ?? ''}: ${reason}`;
  }
  return undefined;
}

interface CallOutcome {
  items: Document[];
  results: FnResultItem[];
  stderr: string;
  exitCode: number;
}

export function notBuiltInMessage(name: string, isExec: boolean): string {
  return isExec
    ? `exec function ${JSON.stringify(name)} cannot run here: run with --allow-exec and a host that can run function binaries`
    : `function ${JSON.stringify(name)} is not built in: run it with a container runtime (Docker or Podman) or replace it with a built-in function`;
}

async function callFunction(spec: StepSpec, name: string, input: Document[], env: StepEnv): Promise<CallOutcome> {
  const builtin = spec.image ? env.lookup(spec.image) : undefined;
  if (builtin) {
    try {
      const out = await builtin({
        items: input as Document.Parsed[],
        functionConfig: spec.functionConfig as Document.Parsed | undefined,
        deadline: env.deadline,
      });
      const failed = out.exitCode !== undefined ? out.exitCode !== 0 : out.results.some((r) => r.severity === 'error');
      return { items: out.items, results: out.results, stderr: out.stderr ?? '', exitCode: out.exitCode ?? (failed ? 1 : 0) };
    } catch (e) {
      if (!(e instanceof FunctionError)) throw e;
      const results = e.results.length ? e.results : [{ message: e.message, severity: 'error' as const }];
      return { items: [], results, stderr: e.stderr ?? e.message, exitCode: 1 };
    }
  }
  if (!env.runExternal) throw new StepFailure(notBuiltInMessage(name, !!spec.exec), false);
  const copies = input.map((d) => d.clone());
  const res = await env.runExternal({ image: spec.image, exec: spec.exec }, resourceListText(input, spec.functionConfig));
  let parsed: ReturnType<typeof parseResourceList> = { items: [], results: [] };
  if (res.stdout.trim()) parsed = parseResourceList(res.stdout);
  const byId = new Map(copies.map((d) => [getAnnotation(d, ANN.id) ?? '', d]));
  for (const doc of parsed.items) {
    const original = byId.get(getAnnotation(doc, ANN.id) ?? getAnnotation(doc, ANN.legacyId) ?? '');
    if (!original) continue;
    // Comments closing a ResourceList item land where go-yaml's reader puts them, which the
    // input's copy below and the round-trip effects reproduce; the document's own head comes back too.
    dropTrailingFeet(doc.contents);
    doc.commentBefore = original.commentBefore;
    copyComments(original.contents, doc.contents);
    syncOrder(original.contents, doc.contents);
  }
  return { items: parsed.items, results: parsed.results, stderr: res.stderr, exitCode: res.exitCode };
}

/** Runs one function on `input`; returns its output or throws StepFailure after printing as kpt does. */
export async function runStep(spec: StepSpec, input: Document[], env: StepEnv): Promise<Document[]> {
  const name = spec.image ?? spec.exec ?? '';
  const started = Date.now();
  env.print(`[RUNNING] ${JSON.stringify(name)}${spec.displayResourceCount ? ` on ${input.length} resource(s)` : ''}`);
  const fnResult: FunctionResult = { image: spec.image, exec: spec.exec, exitCode: 0 };
  const fail = (message: string, printed: boolean, outcome?: CallOutcome): never => {
    fnResult.exitCode = 1;
    if (outcome) {
      fnResult.exitCode = outcome.exitCode || 1;
      fnResult.stderr = outcome.stderr || undefined;
      fnResult.results = outcome.results.length ? outcome.results : undefined;
    }
    env.results.exitCode = 1;
    env.results.items.push(fnResult);
    env.print(`[FAIL] ${JSON.stringify(name)} in ${elapsed(started)}`);
    if (outcome?.results.length) for (const l of multiLine('Results', outcome.results.map(resultLine), false)) env.print(l);
    if (outcome) {
      if (outcome.stderr) for (const l of multiLine('Stderr', outcome.stderr.split('\n'), true)) env.print(l);
      env.print(`  Exit code: ${fnResult.exitCode}`);
      env.print('');
    }
    throw new StepFailure(message, printed);
  };
  const inputErr = checkKrm(input);
  if (inputErr) fail(`input resource list must contain only KRM resources: ${inputErr}`, false);
  input.forEach((doc, i) => {
    setAnnotation(doc, ANN.id, String(i + 1));
    setAnnotation(doc, ANN.legacyId, String(i + 1));
  });
  const inputIds = new Set(input.map((_, i) => String(i + 1)));
  let outcome: CallOutcome;
  try {
    outcome = await callFunction(spec, name, input, env);
  } catch (e) {
    for (const doc of input) clearIds(doc);
    if (e instanceof StepFailure) fail(e.message, false);
    throw e;
  }
  for (const doc of outcome.items) {
    const id = getAnnotation(doc, ANN.id) ?? getAnnotation(doc, ANN.legacyId);
    if (id === undefined || !inputIds.has(id)) continue;
    applyRoundTripEffects(doc);
    clearIds(doc);
  }
  for (const doc of input) clearIds(doc);
  if (outcome.exitCode !== 0) fail(outcome.stderr || `function ${JSON.stringify(name)} failed`, true, outcome);
  defaultPathAnnotation(outcome.items);
  if (spec.packagePath !== undefined) {
    for (const doc of outcome.items) if (!getAnnotation(doc, ANN.packagePath)) setAnnotation(doc, ANN.packagePath, spec.packagePath);
  }
  const pathErr = checkPaths(outcome.items);
  if (pathErr) fail(pathErr, false);
  const outputErr = checkKrm(outcome.items);
  if (outputErr) fail(`output resource list must contain only KRM resources: ${outputErr}`, false);
  fnResult.results = outcome.results.length ? outcome.results : undefined;
  fnResult.stderr = outcome.stderr || undefined;
  env.results.items.push(fnResult);
  env.print(`[PASS] ${JSON.stringify(name)} in ${elapsed(started)}`);
  if (outcome.results.length) for (const l of multiLine('Results', outcome.results.map(resultLine), false)) env.print(l);
  if (outcome.stderr) for (const l of multiLine('Stderr', outcome.stderr.split('\n'), true)) env.print(l);
  return outcome.items;
}

function clearIds(doc: Document): void {
  if (getAnnotation(doc, ANN.id) === undefined && getAnnotation(doc, ANN.legacyId) === undefined) return;
  clearAnnotation(doc, ANN.id);
  clearAnnotation(doc, ANN.legacyId);
}

/** Go's time.Duration.Truncate(100ms) printed as kpt prints it. */
function elapsed(started: number): string {
  const ms = Math.floor((Date.now() - started) / 100) * 100;
  if (ms === 0) return '0s';
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toString()}s`;
}

/** fnruntime.enforcePathInvariants: inside the package, one resource per path and index. */
function checkPaths(docs: Document[]): string | undefined {
  const seen = new Set<string>();
  for (const doc of docs) {
    const pkg = getAnnotation(doc, ANN.packagePath) ?? '';
    const path = getAnnotation(doc, ANN.path) ?? getAnnotation(doc, ANN.legacyPath) ?? '';
    const index = getAnnotation(doc, ANN.index) ?? getAnnotation(doc, ANN.legacyIndex) ?? '';
    const clean = path
      .split('/')
      .filter((s) => s && s !== '.')
      .join('/');
    if (clean.startsWith('../') || clean === '..') return `function must not modify resources outside of package: resource has path ${path}`;
    const key = `${pkg}\u0000${clean}\u0000${index}`;
    if (seen.has(key)) return `resource at path ${JSON.stringify(clean)} and index ${JSON.stringify(index)} already exists`;
    seen.add(key);
  }
  return undefined;
}
