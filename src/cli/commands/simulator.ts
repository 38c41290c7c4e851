import { startSimulator } from '../../simulator/index.ts';
import { parseCommandArgs, UsageError } from '../usage.ts';

export const SIMULATOR_HELP = `Usage: snowtorch simulator [options]

Run the Oura API simulator: OAuth2, every /v2/usercollection route, the sandbox routes,
webhooks, fault switches (POST /_sim/faults, GET /_sim/stats) and the effects planted in each
user's data (GET /_sim/users/NAME/truth). Listens on 127.0.0.1 only
unless --host says otherwise. Stops cleanly on Ctrl-C / SIGTERM.

Options:
  --port P            port to listen on (default 7878; 0 = any free port)
  --host H            interface to bind (default 127.0.0.1)
  --seed S            dataset seed: same seed, same data (default 1)
  --users U           number of simulated users: demo, then more (default 3)
  --days D            days of data per user, ending today (default 365)
  --latency-ms L      delay added to every API response, in ms (default 0)
  --auto-approve      skip the consent page: /oauth/authorize redirects with a code at once
  --client-id ID      OAuth client id (env OURA_CLIENT_ID; default snowtorch-dev)
  --client-secret S   OAuth client secret (env OURA_CLIENT_SECRET; default snowtorch-dev-secret)
  -h, --help          show this help
`;

function integer(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(
      `simulator: --${name} must be a whole number ${min}-${max}, got "${value}"`,
    );
  }
  return n;
}

const nonEmpty = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);

/** `snowtorch simulator`: serve the simulator until SIGINT/SIGTERM. */
export async function runSimulatorCommand(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs('simulator', argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    seed: { type: 'string' },
    users: { type: 'string' },
    days: { type: 'string' },
    'latency-ms': { type: 'string' },
    'auto-approve': { type: 'boolean' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(SIMULATOR_HELP);
    return;
  }
  const sim = await startSimulator({
    host: values.host ?? '127.0.0.1',
    port: integer('port', values.port, 7878, 0, 65_535),
    seed: integer('seed', values.seed, 1, 0, Number.MAX_SAFE_INTEGER),
    users: integer('users', values.users, 3, 1, 1000),
    days: integer('days', values.days, 365, 1, 20 * 365),
    latencyMs: integer('latency-ms', values['latency-ms'], 0, 0, 600_000),
    autoApprove: values['auto-approve'] ?? false,
    clientId: values['client-id'] ?? nonEmpty(process.env.OURA_CLIENT_ID),
    clientSecret: values['client-secret'] ?? nonEmpty(process.env.OURA_CLIENT_SECRET),
  });
  process.stdout.write(`listening on ${sim.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sim.close();
}
