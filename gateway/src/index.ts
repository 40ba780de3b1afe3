import { drainOnSignal } from '@pc/server';
import { buildGateway } from './buildGateway';
import { loadGatewayConfig } from './config';

/** The gateway process: configuration → {@link buildGateway} → listen → drain on SIGTERM. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadGatewayConfig();
  } catch (err) {
    process.stderr.write(`gateway: ${(err as Error).message}\n`);
    process.exit(78);
  }
  let gateway;
  try {
    gateway = await buildGateway(config);
  } catch (err) {
    process.stderr.write(`gateway: ${(err as Error).message}\n`);
    process.exit(78);
  }
  const { url, metricsUrl } = await gateway.listen();
  gateway.log.info({ url, metricsUrl, devIssuer: Boolean(gateway.devIssuer) }, 'gateway ready');
  // SIGTERM: not ready at once, still serving for SHUTDOWN_DELAY_MS, then drain and exit (docs/architecture.md).
  drainOnSignal({ setNotReady: () => gateway.setNotReady(), delayMs: config.SHUTDOWN_DELAY_MS, log: gateway.log, stop: () => gateway.stop() });
}

void main();
