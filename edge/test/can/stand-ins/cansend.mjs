// Stand-in for can-utils `cansend`, for tests on machines without SocketCAN.
//
// Usage: cansend.mjs <record file> <iface> <ID#DATA>
// Appends "<iface> <ID#DATA>" to the record file, so a test can see what was sent.
// vcan0 is the only interface; `fail` as the record file makes the send fail like a full
// transmit queue does.
import { appendFileSync } from 'node:fs';

const [record, iface, frame] = process.argv.slice(2);
if (!record || !iface || !frame) {
  process.stderr.write('usage: cansend.mjs <record file> <iface> <ID#DATA>\n');
  process.exit(2);
}
if (iface !== 'vcan0') {
  process.stderr.write('if_nametoindex: No such device\n');
  process.exit(1);
}
if (record === 'fail') {
  process.stderr.write('write: No buffer space available\n');
  process.exit(1);
}
appendFileSync(record, `${iface} ${frame}\n`);
