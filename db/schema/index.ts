export * from './users.ts';
export * from './settings.ts';
export * from './audit.ts';
export * from './chargers.ts';
export * from './transactions.ts';
export * from './id-tags.ts';
export * from './commands.ts';
export * from './batteries.ts';
