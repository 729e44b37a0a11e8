// Kubernetes `Status` bodies, as the API server and Porch send them: the HTTP
// code, a reason clients switch on (NotFound, AlreadyExists, Conflict,
// Invalid...) and the message kubectl prints after "Error from server (Reason):".
// Errors are PorchlightErrors with the Status kept in their data.
import { PorchlightError, isPorchlightError, type ErrorCode, type ErrorShape } from '../../../src-shared/errors.ts';

export interface StatusCause {
  reason: string;
  message: string;
  field: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

/** A resource as errors name it: `packagerevisions.porch.kpt.dev`, or `secrets` in the core group. */
export interface GroupResource {
  group: string;
  resource: string;
}

export const qualified = (gr: GroupResource) => (gr.group ? `${gr.resource}.${gr.group}` : gr.resource);

const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'FAILED_PRECONDITION',
  404: 'NOT_FOUND',
  405: 'FAILED_PRECONDITION',
  406: 'INVALID_ARGUMENT',
  409: 'CONFLICT',
  410: 'FAILED_PRECONDITION',
  413: 'INVALID_ARGUMENT',
  415: 'INVALID_ARGUMENT',
  421: 'UNAUTHENTICATED',
  422: 'INVALID_ARGUMENT',
  503: 'UNAVAILABLE',
};

/** An error that answers as this Status. */
export function kubeError(code: number, reason: string, message: string, details?: StatusDetails): PorchlightError {
  return new PorchlightError(CODE_OF_STATUS[code] ?? 'INTERNAL', message, { kubeStatus: { code, reason, ...(details ? { details } : {}) } });
}

export const badRequest = (message: string) => kubeError(400, 'BadRequest', message);

export const notFoundError = (gr: GroupResource, name: string) =>
  kubeError(404, 'NotFound', `${qualified(gr)} "${name}" not found`, { name, group: gr.group, kind: gr.resource });

export const alreadyExistsError = (gr: GroupResource, name: string) =>
  kubeError(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, { name, group: gr.group, kind: gr.resource });

/** Porch's optimistic-lock message (its engine's OptimisticLockErrorMsg). */
export const STALE_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';

export const conflictError = (gr: GroupResource, name: string, why: string = STALE_MESSAGE) =>
  kubeError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, { name, group: gr.group, kind: gr.resource });

export const forbiddenError = (gr: GroupResource, name: string, why: string) =>
  kubeError(403, 'Forbidden', `${qualified(gr)} "${name}" is forbidden: ${why}`, { name, group: gr.group, kind: gr.resource });

export const methodNotSupported = (gr: GroupResource, action: string) =>
  kubeError(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualified(gr)}"`, { group: gr.group, kind: gr.resource });

export const goneError = (message: string) => kubeError(410, 'Expired', message);

export const internalError = (message: string) =>
  kubeError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ reason: '', message, field: '' }] });

/** One field's problem, as field.ErrorList prints it. */
export interface FieldError {
  type: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired' | 'FieldValueNotSupported' | 'FieldValueNotFound';
  field: string;
  value?: unknown;
  detail: string;
}

function fieldErrorText(e: FieldError): string {
  switch (e.type) {
    case 'FieldValueForbidden':
      return `Forbidden: ${e.detail}`;
    case 'FieldValueRequired':
      return `Required value${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueNotFound':
      return `Not found: ${JSON.stringify(e.value)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueNotSupported':
      return `Unsupported value: ${JSON.stringify(e.value)}: ${e.detail}`;
    default:
      return `Invalid value: ${typeof e.value === 'object' && e.value !== null ? '"object"' : JSON.stringify(e.value ?? null)}: ${e.detail}`;
  }
}

/** 422 Invalid: `Kind.group "name" is invalid: field: Invalid value: ...`, every field error listed in details.causes. */
export function invalidError(kind: { group: string; kind: string }, name: string, errors: FieldError[]): PorchlightError {
  const texts = errors.map((e) => `${e.field}: ${fieldErrorText(e)}`);
  const listed = texts.length === 1 ? texts[0]! : `[${texts.join(', ')}]`;
  return kubeError(422, 'Invalid', `${kind.kind}${kind.group ? `.${kind.group}` : ''} "${name}" is invalid: ${listed}`, {
    name,
    group: kind.group,
    kind: kind.kind,
    causes: errors.map((e) => ({ reason: e.type, message: fieldErrorText(e), field: e.field })),
  });
}

/** The HTTP status and reason of a service error that did not come with a Status of its own. */
const BY_CODE: Record<ErrorCode, [number, string]> = {
  INVALID_ARGUMENT: [400, 'BadRequest'],
  NOT_FOUND: [404, 'NotFound'],
  ALREADY_EXISTS: [409, 'AlreadyExists'],
  CONFLICT: [409, 'Conflict'],
  FAILED_PRECONDITION: [400, 'BadRequest'],
  BUSY: [409, 'Conflict'],
  UNAVAILABLE: [503, 'ServiceUnavailable'],
  UNAUTHENTICATED: [401, 'Unauthorized'],
  GIT_ERROR: [500, 'InternalError'],
  DB_ERROR: [500, 'InternalError'],
  INTERNAL: [500, 'InternalError'],
};

function isErrorShape(e: unknown): e is ErrorShape {
  return typeof e === 'object' && e !== null && typeof (e as ErrorShape).code === 'string' && typeof (e as ErrorShape).message === 'string';
}

/** The Status to send for anything a handler threw. */
export function statusOf(e: unknown): KubeStatus {
  const shape: ErrorShape = isPorchlightError(e) ? e.toJSON() : isErrorShape(e) ? e : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
  const own = shape.data?.kubeStatus as { code: number; reason: string; details?: StatusDetails } | undefined;
  const [code, reason] = own ? [own.code, own.reason] : (BY_CODE[shape.code] ?? [500, 'InternalError']);
  const message = !own && code === 500 ? `Internal error occurred: ${shape.message}` : shape.message;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(own?.details ? { details: own.details } : {}), code };
}
