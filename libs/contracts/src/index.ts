export * from './definitions';
export * from './call/call.catalog';
export * from './gen/lianluo/common/v1/error_pb';
export * from './gen/lianluo/call/v1/call_pb';
export * from './gen/lianluo/call/v1/events_pb';
export * from './gen/lianluo/call/v1/commands_pb';
