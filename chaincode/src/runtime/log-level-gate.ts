import { Logger } from 'winston';

const LEVEL = Symbol.for('level');
type Info = { [LEVEL]?: string; level?: string };

/**
 * winston 3 passes every message through its stream machinery and formats it before the
 * transports drop the ones below the level, and fabric-shim logs several debug messages per
 * state read and write: under load, handling messages nobody sees took a quarter of the
 * chaincode server's CPU (README, Performance). Loading this module makes winston loggers
 * drop them as they are written, before the stream or any format sees them.
 */
const write = Logger.prototype.write;
Logger.prototype.write = function writeAtLevel(this: Logger, info: unknown, ...rest: unknown[]): boolean {
  const level = typeof info === 'object' && info !== null ? (info as Info)[LEVEL] ?? (info as Info).level : undefined;
  if (level !== undefined && !this.isLevelEnabled(level)) {
    const done = rest.find((arg): arg is () => void => typeof arg === 'function');
    if (done) process.nextTick(done);
    return true;
  }
  return (write as (this: Logger, ...args: unknown[]) => boolean).call(this, info, ...rest);
};
