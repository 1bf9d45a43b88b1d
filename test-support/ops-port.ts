import type { Service } from './process.js';

/**
 * The operations port (`/metrics`, `/healthz`) a started process announced: `npm start` in its
 * banner, the cloud service in its "API on" line. Tests start them with CLOUD_OPS_PORT=0, so
 * that processes running side by side never contend for the default port.
 */
export async function opsPortOf(service: Service): Promise<number> {
  const line = await service.waitFor(/Metrics\s+http:\/\/\S+:\d+\/metrics|"opsPort":\d+/);
  const found = /:(\d+)\/metrics|"opsPort":(\d+)/.exec(line);
  const port = Number(found?.[1] ?? found?.[2]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`no operations port in ${line}`);
  return port;
}
