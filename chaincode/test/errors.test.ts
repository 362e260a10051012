import fc from 'fast-check';
import { ERROR_CODES, type ErrorCode, parseRefusal, refusalMessage, ScfError } from '../src/domain/errors';

const codes = Object.keys(ERROR_CODES) as ErrorCode[];

describe('one codec writes and reads a refusal', () => {
  test('a refusal reads back as its code and detail, bare or wrapped by a peer', () => {
    fc.assert(fc.property(fc.constantFrom(...codes), fc.string(), fc.constantFrom('', 'chaincode response 500, ', 'error in simulation: '),
      (code, detail, wrapper) => {
        expect(parseRefusal(wrapper + refusalMessage(code, detail))).toEqual({ code, detail });
      }));
  });

  test('the chaincode\'s errors are written by the codec', () => {
    const error = new ScfError('NOT_DUE', 'receivable rcv_1 is due on 2027-03-31');
    expect(parseRefusal(error.message)).toEqual({ code: 'NOT_DUE', detail: 'receivable rcv_1 is due on 2027-03-31' });
  });

  test('a message without a known code is no refusal', () => {
    expect(parseRefusal('connection refused')).toBeUndefined();
    expect(parseRefusal('[NOT_A_CODE] something')).toBeUndefined();
  });
});
