export * from './caller';
export * from './callerToken';
