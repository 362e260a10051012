import { Logger } from 'winston';

const LEVEL = Symbol.for('level');
type Info = { [LEVEL]?: string; level?: string; message?: unknown };

/**
 * winston 3 passes every message through its stream machinery and formats it before the
 * transports drop the ones below the level, and fabric-shim logs several debug messages per
 * state read and write: under load, handling messages nobody sees took a quarter of the
 * chaincode server's CPU (README, Performance). Loading this module makes winston loggers
 * drop them as they are written, before the stream or any format sees them.
 */
const write = Logger.prototype.write;
Logger.prototype.write = function writeAtLevel(this: Logger, info: unknown, ...rest: unknown[]): boolean {
  const entry = typeof info === 'object' && info !== null ? (info as Info) : undefined;
  if (entry && isRefusal(entry)) {
    entry[LEVEL] = 'info';
    entry.level = 'info';
  }
  const level = entry ? (entry[LEVEL] ?? entry.level) : undefined;
  if (level !== undefined && !this.isLevelEnabled(level)) {
    const done = rest.find((arg): arg is () => void => typeof arg === 'function');
    if (done) process.nextTick(done);
    return true;
  }
  return (write as (this: Logger, ...args: unknown[]) => boolean).call(this, info, ...rest);
};

/**
 * fabric-shim logs every error a transaction throws at error level, refusals included; a
 * refusal (an ScfError, `[CODE] …`) is the chaincode doing its job, so it is logged as info.
 */
function isRefusal(entry: Info): boolean {
  return (
    (entry[LEVEL] ?? entry.level) === 'error' &&
    typeof entry.message === 'string' &&
    entry.message.includes('ScfError: [')
  );
}
