// A load generator in a process of its own, so that it does not share the server's event
// loop: the parent sends { port, req, opts }, this answers closedLoops' result and exits.
import { closedLoops } from './load.mjs';

process.once('message', async ({ port, req, opts }) => {
  process.send(await closedLoops(port, req, opts), () => process.exit(0));
});
