// `wattline simulate powerwall`: runs simulated Tesla Energy Gateways standalone (for trying the connector,
// Powerwall-Dashboard-style tools or curl against something that answers like the real thing).
import { type Command, InvalidArgumentError } from 'commander';
import { FIRMWARE_GENERATIONS } from '../connectors/powerwall/sim-payloads.ts';
import {
  type FirmwareGeneration,
  generateGatewayCertificate,
  type PowerwallSimulator,
  startPowerwallSimulator,
} from '../connectors/powerwall/simulator.ts';
import { closeOnSignals } from './serve.ts';
import { portArg } from './shared-options.ts';

function firmwareArg(value: string): FirmwareGeneration {
  if (!(FIRMWARE_GENERATIONS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`one of ${FIRMWARE_GENERATIONS.join(', ')}`);
  return value as FirmwareGeneration;
}

function countArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 5000) throw new InvalidArgumentError('an integer from 1 to 5000');
  return n;
}

export function registerSimulate(program: Command): void {
  const simulate = program.command('simulate').description('run simulated data sources');
  simulate
    .command('powerwall')
    .description('run simulated Tesla Powerwall 2 gateways (HTTPS, self-signed certificate)')
    .option('-p, --port <port>', 'port of the first gateway (default: any free port)', portArg)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('-n, --count <n>', 'number of gateways (consecutive ports when --port is given)', countArg, 1)
    .option(
      '--firmware <generation>',
      `firmware generation: ${FIRMWARE_GENERATIONS.join(', ')}`,
      firmwareArg,
      '21.44',
    )
    .option('--email <email>', 'customer email', 'owner@example.com')
    .option('--password <password>', 'customer password', 'ABCDE')
    .option('--time-zone <tz>', 'IANA time zone of the simulated site', 'America/Los_Angeles')
    .action(
      async (flags: {
        port?: number;
        host: string;
        count: number;
        firmware: FirmwareGeneration;
        email: string;
        password: string;
        timeZone: string;
      }) => {
        const certificate = await generateGatewayCertificate();
        const sims: PowerwallSimulator[] = [];
        for (let i = 0; i < flags.count; i++) {
          sims.push(
            await startPowerwallSimulator({
              certificate,
              host: flags.host,
              port: flags.port === undefined ? 0 : flags.port + i,
              firmware: flags.firmware,
              email: flags.email,
              password: flags.password,
              timeZone: flags.timeZone,
              household: { seed: i + 1 },
            }),
          );
        }
        const first = sims[0]!;
        console.log(
          `${sims.length} simulated Powerwall gateway${sims.length > 1 ? 's' : ''} (firmware ${flags.firmware}); Ctrl-C to stop`,
        );
        for (const s of sims.slice(0, 10)) console.log(`  ${s.url}`);
        if (sims.length > 10) console.log(`  ... ${sims.length - 10} more`);
        console.log(`
  certificate sha256  ${first.fingerprint256}
  login               customer / ${flags.email} / ${flags.password}
  try                 curl -sk ${first.url}/api/status
                      curl -sk -c /tmp/pw.cookies -H 'content-type: application/json' \\
                        -d '{"username":"customer","email":"${flags.email}","password":"${flags.password}"}' ${first.url}/api/login/Basic
                      curl -sk -b /tmp/pw.cookies ${first.url}/api/meters/aggregates
`);
        closeOnSignals(async () => {
          await Promise.all(sims.map((s) => s.close()));
        });
      },
    );
}
