import { Writable } from 'stream';
import winston from 'winston';
import '../src/runtime/log-level-gate';

describe('winston loggers in the chaincode process', () => {
  test('messages below the level are dropped before the stream or a format sees them; the rest are formatted and written', async () => {
    let formatted = 0;
    const written: string[] = [];
    const logger = winston.createLogger({
      level: 'warn',
      format: winston.format.printf((info) => { formatted++; return `${info.level}: ${String(info.message)}`; }),
      transports: [new winston.transports.Stream({ stream: new Writable({ write(chunk, _encoding, done) { written.push(String(chunk).trim()); done(); } }) })],
    });
    const streamed = jest.spyOn(logger as unknown as { _transform: (...args: unknown[]) => void }, '_transform');
    for (let i = 0; i < 100; i++) logger.debug(`debug ${i}`, { detail: i });
    logger.info('info');
    logger.warn('careful');
    logger.error('broken', { code: 7 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(formatted).toBe(2);
    expect(streamed).toHaveBeenCalledTimes(2);
    expect(written).toEqual(['warn: careful', 'error: broken']);
    logger.level = 'debug';
    logger.debug('now shown');
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toEqual(['warn: careful', 'error: broken', 'debug: now shown']);
  });

  test('a transaction\'s refusal, which fabric-shim logs as an error, is logged as info; other errors stay errors', async () => {
    const written: string[] = [];
    const logger = winston.createLogger({
      level: 'info',
      format: winston.format.printf((info) => `${info.level}: ${String(info.message)}`),
      transports: [new winston.transports.Stream({ stream: new Writable({ write(chunk, _encoding, done) { written.push(String(chunk).trim()); done(); } }) })],
    });
    logger.error('[tx1] ScfError: [INVALID_STATE] the certificate is SPLIT');
    logger.error('[tx2] TypeError: x is undefined');
    logger.level = 'warn';
    logger.error('[tx3] ScfError: [FORBIDDEN] not the holder');
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toEqual(['info: [tx1] ScfError: [INVALID_STATE] the certificate is SPLIT', 'error: [tx2] TypeError: x is undefined']);
  });
});
