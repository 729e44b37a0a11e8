// How a command reaches the service: a call on a channel of the contract, as
// every other door makes it, to a running service (src-main/cli/remote-client.ts) or to one
// opened in this process for this command (src-main/host/in-process-service.ts). Errors come
// back as PorchlightError with the service's code, message and data.
import type { AnswerOf, Channel, RequestOf, ServiceEvent } from './contract.ts';

export interface CallOptions {
  /** Events while the call runs (progress of a sync, a publish). */
  onEvent?: (event: ServiceEvent) => void;
}

export interface ServiceClient {
  call<C extends Channel>(channel: C, request: RequestOf<C>, opts?: CallOptions): Promise<AnswerOf[C]>;
  close(): Promise<void>;
}
