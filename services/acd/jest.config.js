const preset = require('../../jest.preset.js')(__dirname);

// The routing scripts check their per-run agent cache against Redis in every test run
// (routing-scripts.ts, ACD_LUA_SELF_CHECK).
module.exports = { ...preset, setupFiles: [...(preset.setupFiles ?? []), '<rootDir>/test/lua-self-check.setup.js'] };
