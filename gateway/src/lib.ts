export * from './createGatewayServer';
export * from './auth/devIssuer';
export * from './auth/verifyUserToken';
export * from './context';
export { startSystem, type RunningSystem, type StartSystemOptions } from './testing/startSystem';
export * from './telemetry';
