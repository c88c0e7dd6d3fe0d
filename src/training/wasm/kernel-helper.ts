// A helper thread of the kernel pool (kernel-pool.ts): runs the parts of the
// direct convolution kernels that the training worker posts to it.

import { type HelperStart, serveHelper } from './kernel-pool';

self.onmessage = (event: MessageEvent<HelperStart>) => serveHelper(event.data);
