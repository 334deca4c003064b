/* global require, module */
/**
 * The failure converter used while payloads are encrypted: error messages and stack traces go into
 * an encoded payload (sealed by the codec like any other) instead of plain history fields, since a
 * provider's error text can quote an order id.
 *
 * Temporal loads it by path with require(), in the worker, the client and the workflow bundle
 * (DataConverter.failureConverterPath), so it is CommonJS: plain JavaScript, in a folder whose
 * package.json says "commonjs", is the one form Node, tsx, Jest and webpack all require() alike.
 */
'use strict';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS module (see above)
const { DefaultFailureConverter } = require('@temporalio/common');

module.exports = { failureConverter: new DefaultFailureConverter({ encodeCommonAttributes: true }) };
