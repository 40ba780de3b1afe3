/**
 * `npm run test:web`: the web app's tests — a real browser (Debian's Chromium through
 * playwright-core) against the real system on the embedded database (or TEST_DATABASE_URL).
 * Kept out of `npm test` (its roots do not include web/) because it needs a browser and the built app.
 */
const root = require('../jest.config.js');

module.exports = {
  ...root,
  rootDir: '..',
  roots: ['<rootDir>/web/test'],
  testTimeout: 120000,
  maxWorkers: 1,
};
