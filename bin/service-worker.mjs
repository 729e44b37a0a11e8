// Worker-thread entry: the service's TypeScript sources through tsx (each
// thread registers its own loader), then the worker body.
import { register } from 'tsx/esm/api';

register();
await import('../src-main/host/service-worker.ts');
