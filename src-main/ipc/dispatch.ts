// One entry point for every door (Electron IPC, browser mode, the local
// socket, the CLI in process, the Kubernetes API): the channel must be one the
// contract names, the payload is parsed once with its schema, and the
// operation gets the parsed request. Whatever happens the caller gets an
// Answer, never an exception: a window must not be able to crash the service.
import { CHANNELS, isChannel, type Answer, type AnswerOf, type Channel } from '../../src-shared/contract.ts';
import { invalidArgument, isPorchlightError, type ErrorShape } from '../../src-shared/errors.ts';
import type { ServiceContext } from '../service/context.ts';
import type { Operation, Operations } from '../service/operations/operation.ts';
import { parse } from '../service/validate.ts';

export type Dispatch = (channel: unknown, payload: unknown) => Promise<Answer<unknown>>;

export function errorShape(e: unknown): ErrorShape {
  if (isPorchlightError(e)) return e.toJSON();
  if (e instanceof Error) return { code: 'INTERNAL', message: e.message };
  try {
    return { code: 'INTERNAL', message: String(e) };
  } catch {
    // A thrown object without a string form (Object.create(null)) must still become an answer.
    return { code: 'INTERNAL', message: `an unexpected ${typeof e} was thrown` };
  }
}

/** A channel as an error message may quote it: short, and whatever was sent. */
const describeChannel = (channel: unknown) =>
  typeof channel === 'string' ? JSON.stringify(channel.slice(0, 100)) : `of type ${channel === null ? 'null' : typeof channel}`;

/** Parses the request and runs the operation; errors are thrown as they are. */
export function invoke<C extends Channel>(ctx: ServiceContext, operations: Operations<Channel>, channel: C, payload: unknown): Promise<AnswerOf[C]> {
  const operation = operations[channel] as Operation<C>;
  return operation(ctx, parse(CHANNELS[channel].request, payload ?? {}) as never);
}

export function createDispatcher(ctx: ServiceContext, operations: Operations<Channel>): Dispatch {
  return async (channel, payload) => {
    try {
      if (!isChannel(channel)) throw invalidArgument(`unknown channel ${describeChannel(channel)}; the contract (src-shared/contract.ts) lists the valid ones`);
      return { ok: true, value: await invoke(ctx, operations, channel, payload) };
    } catch (e) {
      return { ok: false, error: errorShape(e) };
    }
  };
}
