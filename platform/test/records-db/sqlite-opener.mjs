// Opens the SQLite records adapter (the built one) on workerData.path the moment the test
// says go, then closes it: several of these migrate one fresh file at the same time.
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteRecordsDb } from '@fleetline/platform';

const go = new Int32Array(workerData.go);
parentPort.postMessage('ready');
Atomics.wait(go, 0, 0);
const db = new SqliteRecordsDb({ path: workerData.path });
await db.close();
parentPort.postMessage('opened');
