// Child process of bench/powerwall-pollers.ts: starts N simulated gateways sharing one certificate and
// prints `{"urls": [...], "fingerprint256": "..."}` on one line, then serves until killed. Kept out of the
// poller's process so that the poller's CPU and RSS are its own.
import {
  generateGatewayCertificate,
  type PowerwallSimulator,
  startPowerwallSimulator,
} from '../../src/connectors/powerwall/simulator.ts';

const count = Number(process.argv[2] ?? '1000');
const certificate = await generateGatewayCertificate();
const sims: PowerwallSimulator[] = [];
for (let i = 0; i < count; i++)
  sims.push(
    await startPowerwallSimulator({ certificate, household: { seed: i + 1 }, loginLimit: 1_000_000 }),
  );
process.stdout.write(
  `${JSON.stringify({ urls: sims.map((s) => s.url), fingerprint256: sims[0]!.fingerprint256 })}\n`,
);
process.on('SIGTERM', () => process.exit(0));
