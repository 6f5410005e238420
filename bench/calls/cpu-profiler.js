// Preloaded into each of our services by the calls bench when BENCH_CPU_PROFILE=1
// (NODE_OPTIONS=--require): the first SIGWINCH starts V8's sampling profiler, the next one
// writes what it sampled to `$BENCH_CPU_PROFILE_PREFIX-<n>.cpuprofile` (one per phase), so
// a profile covers the load and not the start-up. SIGWINCH because its default is to be
// ignored and Nest's shutdown hooks do not take it (they do take SIGUSR2). Plain CommonJS,
// run by node before the service.
'use strict';
const inspector = require('node:inspector');
const { writeFileSync } = require('node:fs');

const prefix = process.env.BENCH_CPU_PROFILE_PREFIX;
if (prefix) {
  const session = new inspector.Session();
  session.connect();
  let profiling = false;
  let written = 0;
  process.on('SIGWINCH', () => {
    if (!profiling) {
      profiling = true;
      session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 1000 }, () => session.post('Profiler.start')));
      return;
    }
    profiling = false;
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(`${prefix}-${++written}.cpuprofile`, JSON.stringify(result.profile));
    });
  });
}
