/** The chaincode's answer bytes as JSON (an empty answer is null), on either backend. */
export function parseAnswer(bytes: Uint8Array): unknown {
  const text = Buffer.from(bytes).toString('utf8');
  return text === '' ? null : JSON.parse(text);
}
