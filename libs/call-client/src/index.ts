export * from './clock';
export * from './call-errors';
export * from './call-watch';
export * from './call-events.tap';
export * from './gateway-call';
