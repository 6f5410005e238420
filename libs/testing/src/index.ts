export * from './asterisk/asterisk-site-config';
export * from './asterisk/asterisk-rootfs';
export * from './asterisk/render-asterisk-config';
export * from './asterisk/asterisk-instance';
export * from './asterisk/start-sites';
export * from './sipp/run-sipp';
export * from './infra/free-port';
export * from './infra/ensure-local-infra';
