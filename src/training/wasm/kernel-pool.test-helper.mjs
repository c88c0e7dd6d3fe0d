// A kernel pool helper on a Node worker thread, for kernel-pool.test.ts: the
// same serveHelper that kernel-helper.ts runs in a browser worker.

import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { serveHelper } = await tsImport('./kernel-pool.ts', import.meta.url);
serveHelper(workerData);
