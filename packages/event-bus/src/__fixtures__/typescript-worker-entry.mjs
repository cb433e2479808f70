// Entry point for worker threads that run TypeScript from source (tests and benchmarks, no build needed).
// `execArgv: ['--import', 'tsx']` does not reach a worker's entry module on Node 20, so the worker starts here
// and loads the module named by `workerData.entry` through tsx's programmatic loader.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
