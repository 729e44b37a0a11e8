// Every channel's operation, by channel: the one table every door reaches
// through the dispatcher (ipc/dispatch.ts).
import type { Channel } from '../../../src-shared/contract.ts';
import { approvalOperations } from './approvals.ts';
import { cacheOperations } from './cache.ts';
import { catalogOperations } from './catalogs.ts';
import { databaseOperations } from './database.ts';
import { demoOperations } from './demo.ts';
import { lifecycleOperations } from './lifecycle.ts';
import type { Operations } from './operation.ts';
import { repositoryOperations } from './repositories.ts';
import { revisionCreateOperations } from './revisions-create.ts';
import { revisionReadOperations } from './revisions-read.ts';
import { revisionSaveOperations } from './revisions-save.ts';
import { settingsOperations } from './settings.ts';

export const OPERATIONS: Operations<Channel> = {
  ...repositoryOperations,
  ...revisionReadOperations,
  ...revisionCreateOperations,
  ...revisionSaveOperations,
  ...lifecycleOperations,
  ...approvalOperations,
  ...catalogOperations,
  ...cacheOperations,
  ...databaseOperations,
  ...settingsOperations,
  ...demoOperations,
};
