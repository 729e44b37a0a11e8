// An operation answers one channel: it receives the request as the
// dispatcher parsed it (defaults in, nothing to check again) and the context.
import type { AnswerOf, Channel, ParsedRequestOf } from '../../../src-shared/contract.ts';
import type { ServiceContext } from '../context.ts';

export type Operation<C extends Channel> = (ctx: ServiceContext, request: ParsedRequestOf<C>) => Promise<AnswerOf[C]>;

/** The operations of one area, by channel. */
export type Operations<C extends Channel> = { [K in C]: Operation<K> };
