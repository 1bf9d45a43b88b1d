import { parentPort, workerData } from 'node:worker_threads';
import { EdgeConfigError } from '../errors.js';
import { loadAgentConfig } from './config.js';

/** Runs in a worker: see loadAgentConfigInWorker. */
export type ConfigWorkerReply =
  | { ok: true; config: ReturnType<typeof loadAgentConfig> }
  | { ok: false; message: string; problems: readonly string[] };

const { file } = workerData as { file: string };
let reply: ConfigWorkerReply;
try {
  reply = { ok: true, config: loadAgentConfig(file) };
} catch (err) {
  reply = {
    ok: false,
    message: (err as Error).message,
    problems: err instanceof EdgeConfigError ? err.problems : [],
  };
}
parentPort?.postMessage(reply);
