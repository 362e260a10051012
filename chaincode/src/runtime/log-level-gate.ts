import type { TransformCallback } from 'stream';
import { Logger } from 'winston';

const LEVEL = Symbol.for('level');
type Info = { [LEVEL]?: string; level: string };

/**
 * winston 3 formats every message before its transport drops the ones below the level,
 * and fabric-shim logs several debug messages per state read and write: under load,
 * formatting messages nobody sees took a quarter of the chaincode server's CPU (README,
 * Performance). Loading this module makes winston loggers drop them before formatting.
 */
const formatAndPush = Logger.prototype._transform;
Logger.prototype._transform = function dropBelowLevel(this: Logger, info: Info, encoding: BufferEncoding, callback: TransformCallback) {
  if (!this.isLevelEnabled(info[LEVEL] ?? info.level)) {
    callback();
    return;
  }
  formatAndPush.call(this, info, encoding, callback);
};
