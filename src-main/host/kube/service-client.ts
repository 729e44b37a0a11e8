// The door's only way into the service: contract calls through the host,
// answers unwrapped, failures thrown as the PorchlightErrors they were. A
// channel the contract does not have yet (see PROPOSED_CHANNELS) is refused
// here with 405, naming what is missing, rather than worked around.
import { isChannel, type AnswerOf, type Channel, type RequestOf, type ServiceEvent } from '../../../src-shared/contract.ts';
import { PorchlightError } from '../../../src-shared/errors.ts';
import type { ServiceHost } from '../service-host.ts';
import { kubeError } from './status.ts';

/** Channels this door needs and the contract lacks; the door calls them as soon as they exist. */
export const PROPOSED_CHANNELS = {
  'revisions.setMetadata': 'labels and annotations of a package revision (kubectl label, annotate, apply, edit of metadata)',
  'repositories.setMetadata': 'labels and annotations of a repository',
  'revisions.update': 'spec changes of a draft other than its lifecycle (readiness gates, package metadata)',
} as const;
export type ProposedChannel = keyof typeof PROPOSED_CHANNELS;

export interface ServiceClient {
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<AnswerOf[C]>;
  /** A channel of PROPOSED_CHANNELS: called when the contract has it, else a 405 naming it. */
  callProposed<T>(channel: ProposedChannel, request: unknown): Promise<T>;
  has(channel: string): boolean;
  onEvent(listener: (e: ServiceEvent) => void): () => void;
}

export function serviceClient(host: Pick<ServiceHost, 'call' | 'onEvent'>): ServiceClient {
  const call = async (channel: string, request: unknown) => {
    const answer = await host.call(channel, request);
    if (!answer.ok) throw new PorchlightError(answer.error.code, answer.error.message, answer.error.data);
    return answer.value;
  };
  return {
    call: (channel, request) => call(channel, request) as never,
    async callProposed<T>(channel: ProposedChannel, request: unknown) {
      if (!isChannel(channel)) {
        throw kubeError(
          405,
          'MethodNotAllowed',
          `Porchlight's service cannot change ${PROPOSED_CHANNELS[channel]} yet (it has no "${channel}" operation); nothing was changed`,
        );
      }
      return (await call(channel, request)) as T;
    },
    has: isChannel,
    onEvent: (listener) => host.onEvent(listener),
  };
}
