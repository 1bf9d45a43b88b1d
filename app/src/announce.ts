import type { RunningSystem } from './embedded.js';
import type { AppConfig } from './settings.js';

/**
 * What `npm start` prints once it runs: where everything is, the demo sign-ins the first time
 * (their passwords exist nowhere else), and a warning when the demo accounts can be reached
 * from other machines.
 */

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** Whether a listener on this address can be reached from other machines. */
export const reachableFromOutside = (host: string) => !LOOPBACK.test(host);

export function announcement(config: AppConfig, system: RunningSystem): string {
  const host = (h: string) => (h === '0.0.0.0' || h === '::' ? '127.0.0.1' : h);
  const fleet = system.fleet;
  const lines = [
    '',
    `Fleetline is running — log: ${system.logKind}, telemetry: ${system.telemetryDbKind}, records: ${system.recordsDbKind}, data: ${config.dataDir}`,
    `  MQTT gateway   mqtt://${host(config.mqttHost)}:${system.mqttPort}` +
      (system.mqttsPort === undefined
        ? ''
        : ` and mqtts://${host(config.mqttHost)}:${system.mqttsPort}`),
    `  HTTP API       http://${host(config.httpHost)}:${system.httpPort}/api/session (sign in), /api/vehicles`,
    `  Metrics        http://${host(config.cloudOpsHost)}:${system.opsPort}/metrics`,
    fleet
      ? `  Simulated      ${fleet.ids.length} vehicles (${fleet.ids[0]} … ${fleet.ids.at(-1)})`
      : '  Simulated      none (SIM_VEHICLES=0)',
  ];
  const demo = system.demo;
  if (demo && demo.users.length > 0) {
    lines.push(
      '',
      'Demo sign-ins (shown this once; the records keep only hashes — `npx fleetline users reset-password <id>` makes a new one):',
      ...table([
        ['role', 'login', 'password', 'sees'],
        ...demo.users.map((u) => [
          u.role,
          u.login,
          u.password,
          u.group ? `fleet ${u.group}` : `stores ${u.stores.join(', ')}`,
        ]),
      ]).map((l) => `  ${l}`),
    );
  } else if (demo) {
    lines.push(
      '',
      '  Demo           signed-in people as printed when the demo organisation was made (`npx fleetline users list --org <id>`)',
    );
  }
  if (demo && reachableFromOutside(config.httpHost)) {
    lines.push(
      '',
      `WARNING: the HTTP API listens on ${config.httpHost}, reachable from other machines, and the demo accounts can sign in from there.`,
      '         Bind it to 127.0.0.1 (HTTP_HOST) or turn the demo off (DEMO=false).',
    );
  }
  lines.push('Press Ctrl-C to stop.', '');
  return lines.join('\n');
}

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}
