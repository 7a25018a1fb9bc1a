export * from './status';
export * from './transitions';
export * from './errors';
export * from './dag';
export * from './command';
export * from './resources';
export * from './access';
export * from './limits';
