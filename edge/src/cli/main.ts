/**
 * `fleetline-edge <command>`: the edge agent's command line.
 *   decode --dbc FILE [LOG|-]   decode a candump -L log to JSON lines
 *   run --config FILE           run the agent
 */

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const usage = `usage: fleetline-edge <command> [options]

commands:
  decode --dbc FILE [LOG|-]   decode a candump -L log (file or stdin) to one JSON object per frame
  run --config FILE           run the agent with a JSON config file
`;

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'decode':
      return (await import('./decode.js')).decodeCommand(rest, io);
    case 'run':
      return (await import('./run.js')).runCommand(rest, io);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      io.stdout.write(usage);
      return command === undefined ? 2 : 0;
    default:
      io.stderr.write(`fleetline-edge: unknown command "${command}"\n${usage}`);
      return 2;
  }
}
