// The Powerwall connector's public surface: what the registry, the demo and the CLI import.

export {
  type PowerwallConfig,
  PowerwallConfigSchema,
  type PowerwallGatewayConfig,
  PowerwallGatewaySchema,
  type PowerwallSourceConfig,
  PowerwallSourceConfigSchema,
  parsePowerwallConfig,
} from './config.ts';
export {
  createPowerwallConnector,
  type PowerwallConnector,
  type PowerwallConnectorDeps,
} from './connector.ts';
export type { DriftFigure } from './drift.ts';
export type { GatewayInfo, Gauge, PowerwallPollOutcome } from './gateway-poller.ts';
export {
  type PowerwallFault,
  type PowerwallSimulator,
  type PowerwallSimulatorOptions,
  startPowerwallSimulator,
} from './simulator.ts';
