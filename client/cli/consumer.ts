/**
 * The `anvil` bin of the `@anvil/client` package (built to dist/cli.js): the consumer commands of program.ts,
 * nothing of the product (studio, serve, user, token, audit live in anvil.ts, the repo's own `anvil`).
 * Exit codes: 0 success, 1 usage error, 2 failure (client/README.md).
 */
import { processIO, runProgram } from './io';
import { buildConsumerProgram } from './program';

const io = processIO();
process.exitCode = await runProgram(buildConsumerProgram(io), process.argv.slice(2), io);
