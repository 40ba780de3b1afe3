export * from './createGatewayServer';
export * from './auth/devIssuer';
export * from './auth/verifyUserToken';
export * from './context';
export * from './telemetry';
export { createAccessGuard, type AccessGuard, type AccessGuardOptions } from './access/createAccessGuard';
export { classifyAccess } from './access/classifyAccess';
export { createEdge, type Edge, type EdgeOptions } from './edge/createEdge';
