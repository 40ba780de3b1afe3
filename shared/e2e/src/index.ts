export * from './startSystem';
