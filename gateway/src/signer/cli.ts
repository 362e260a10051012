#!/usr/bin/env node
import { readFileSync, writeFileSync } from 'fs';
import { parseArgs } from 'util';
import { certificateRequest, generateKey, signDigest } from './keys';
import { callOffline, type ReviewedStep, rotateOffline } from './offline-client';
import { createInterface } from 'readline/promises';

const HELP = `scf-sign: keep your Fabric key yourself and sign what the SCF gateway prepares.

  scf-sign keygen --key FILE                  write a new ECDSA P-256 key (mode 600; FILE must not exist)
  scf-sign csr --key FILE --cn NAME           print a certificate signing request for it; NAME is
                                              <enterprise>.<login>, e.g. supplier-t1.alice (your admin
                                              sends it as "csr" in POST /me/users)
  scf-sign sign --key FILE DIGEST             print the signature (base64) of a digest (hex) the gateway answered
  scf-sign submit --key FILE --gateway URL --transaction NAME [--args JSON] [--transient JSON]
                  [--request-key KEY] [--yes]
                                              prepare, review, sign and submit a call (the API key comes from
                                              SCF_API_KEY); run again with the same --request-key to resume
  scf-sign rotate --key FILE --new-key FILE --cn NAME --gateway URL [--request-key KEY] [--yes]
                                              rotate to the key in --new-key (keygen it first) under the new
                                              name NAME (<enterprise>.<new name>); the current key signs it
`;

/**
 * Shows each step before it is signed (stderr) and, for the transaction, asks for a yes on a
 * terminal; --yes signs without asking (scripts), and without a terminal nothing is signed unasked.
 */
function reviewer(yes: boolean) {
  return async (step: ReviewedStep): Promise<boolean> => {
    const result = step.result === undefined ? '' : `\n  result: ${JSON.stringify(step.result)}`;
    process.stderr.write(`${step.step} of ${step.txId}\n  digest: ${step.digest}${result}\n`);
    if (yes || step.step === 'proposal') return true;
    if (!process.stdin.isTTY)
      throw new Error('not signing the transaction unasked: confirm on a terminal or pass --yes');
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await prompt.question('sign and submit it? [y/N] ');
    prompt.close();
    return /^y(es)?$/i.test(answer.trim());
  };
}

async function main(argv: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      key: { type: 'string' },
      cn: { type: 'string' },
      gateway: { type: 'string' },
      transaction: { type: 'string' },
      args: { type: 'string', default: '[]' },
      transient: { type: 'string' },
      'request-key': { type: 'string' },
      'new-key': { type: 'string' },
      yes: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const [command, ...rest] = positionals;
  const key = (): string => {
    if (!values.key) throw new Error('--key FILE is required');
    return values.key;
  };
  switch (values.help ? 'help' : command) {
    case 'keygen':
      writeFileSync(key(), generateKey(), { mode: 0o600, flag: 'wx' });
      return `wrote a new P-256 key to ${key()}; keep it, nobody else has a copy`;
    case 'csr':
      if (!values.cn) throw new Error('--cn <enterprise>.<login> is required');
      return certificateRequest(readFileSync(key(), 'utf8'), values.cn);
    case 'sign':
      if (!rest[0]) throw new Error('the digest to sign (hex) is required');
      return signDigest(readFileSync(key(), 'utf8'), rest[0]);
    case 'submit':
      return submit(values, key());
    case 'rotate':
      return rotate(values, key());
    default:
      return HELP;
  }
}

async function submit(
  values: { gateway?: string; transaction?: string; args: string; transient?: string; yes: boolean } & Record<
    string,
    unknown
  >,
  keyFile: string,
): Promise<string> {
  if (!values.transaction) throw new Error('submit needs --transaction NAME');
  const outcome = await callOffline(
    { ...gatewayOf(values), privateKeyPem: readFileSync(keyFile, 'utf8'), review: reviewer(values.yes) },
    {
      transaction: values.transaction,
      args: JSON.parse(values.args) as string[],
      ...(values.transient ? { transient: JSON.parse(values.transient) as Record<string, string> } : {}),
    },
    values['request-key'] as string | undefined,
  );
  return JSON.stringify(outcome, null, 2);
}

/** The gateway's address and the API key (SCF_API_KEY) a gateway command needs. */
function gatewayOf(values: { gateway?: string }): { gateway: string; apiKey: string } {
  const apiKey = process.env.SCF_API_KEY;
  if (!values.gateway || !apiKey) throw new Error('this command needs --gateway URL and the API key in SCF_API_KEY');
  return { gateway: values.gateway, apiKey };
}

async function rotate(
  values: { 'new-key'?: string; cn?: string; gateway?: string; yes: boolean } & Record<string, unknown>,
  keyFile: string,
): Promise<string> {
  if (!values['new-key'] || !values.cn) throw new Error('rotate needs --new-key FILE and --cn <enterprise>.<new name>');
  const csr = await certificateRequest(readFileSync(values['new-key'], 'utf8'), values.cn);
  const options = { ...gatewayOf(values), privateKeyPem: readFileSync(keyFile, 'utf8'), review: reviewer(values.yes) };
  return JSON.stringify(await rotateOffline(options, csr, values['request-key'] as string | undefined), null, 2);
}

main(process.argv.slice(2)).then(
  (output) => process.stdout.write(`${output.trimEnd()}\n`),
  (error: unknown) => {
    process.stderr.write(`scf-sign: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
