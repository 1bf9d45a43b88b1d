import { Worker } from 'node:worker_threads';
import { EdgeConfigError } from '../errors.js';
import type { AgentConfig } from './config.js';
import type { ConfigWorkerReply } from './config-worker.js';

/**
 * Loads and validates the agent's config file in a worker thread. The schema validator (TypeBox)
 * and its module graph cost about 10 MB that a long-running agent on a small board would carry
 * for nothing after start-up; a worker's isolate, and that memory with it, is gone once it
 * answers. Same result and errors as loadAgentConfig.
 */
export async function loadAgentConfigInWorker(file: string): Promise<AgentConfig> {
  const worker = new Worker(new URL('./config-worker.js', import.meta.url), {
    workerData: { file },
  });
  try {
    const reply = await new Promise<ConfigWorkerReply>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(new EdgeConfigError(`config validation stopped unexpectedly (exit ${code})`)),
      );
    });
    if (!reply.ok) throw new EdgeConfigError(reply.message, reply.problems);
    return Object.freeze(reply.config);
  } finally {
    await worker.terminate();
  }
}
