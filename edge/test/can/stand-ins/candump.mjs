// Stand-in for can-utils `candump`, for tests on machines without SocketCAN.
//
// Usage: candump.mjs <log file> <exit|wait> -L <iface>
// Prints the canned `candump -L` log to stdout like candump would print live frames, then
// either exits 0 or keeps running until it is signalled, as the real candump does. An
// interface other than vcan0 fails the way candump does when the interface is missing.
import { readFileSync } from 'node:fs';

const [log, mode, flag, iface] = process.argv.slice(2);
if (!log || (mode !== 'exit' && mode !== 'wait') || flag !== '-L' || !iface) {
  process.stderr.write('usage: candump.mjs <log file> <exit|wait> -L <iface>\n');
  process.exit(2);
}
if (iface !== 'vcan0') {
  process.stderr.write('SIOCGIFINDEX: No such device\n');
  process.exit(1);
}
process.stdout.write(readFileSync(log), () => {
  if (mode === 'wait') setInterval(() => {}, 60_000);
});
