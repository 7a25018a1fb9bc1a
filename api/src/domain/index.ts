export * from '@jobmon/core';
export * from './transitions';
export * from './resources';
export * from './access';
export * from './run-control';
export * from './limits';
