// The test of `npm start` (local-stack.spec.ts): the whole stack, started as npm start
// starts it, beside any stack a developer has running.
const preset = require('../jest.preset.js')(__dirname);

module.exports = { ...preset, testMatch: ['<rootDir>/*.spec.ts'] };
