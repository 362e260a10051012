import { createHash } from 'crypto';
import { toCanonicalJson } from './canonical-json';
import { ScfError } from './errors';
import type { Instruction, InstructionVote } from './model';
import { millisOf, requireDecisionWindow } from './time';
import { MAX_INSTRUCTION_SECONDS } from './vocabulary';

/**
 * Four eyes: a maker's call is recorded as an instruction, and a different user of the same
 * enterprise, a checker, approves it (it runs then) or rejects it. Functions of the records
 * and the transaction time only.
 */

export function instructionId(txId: string): string {
  return `ins_${txId}`;
}

/**
 * What approval binds: the transaction, its exact arguments and the SHA-256 of each transient
 * value it reads (the values themselves stay off the ledger; the checker sends them again).
 */
export function instructionHash(
  transaction: string,
  args: readonly string[],
  transientHashes: Readonly<Record<string, string>>,
): string {
  return createHash('sha256').update(toCanonicalJson({ transaction, args, transientHashes }), 'utf8').digest('hex');
}

export function openInstruction(
  input: { id: string; enterpriseId: string; transaction: string; args: string[]; argsHash: string },
  maker: InstructionVote,
  expiresAt: string,
): Instruction {
  requireDecisionWindow(expiresAt, maker.at, MAX_INSTRUCTION_SECONDS);
  return { ...input, maker, proposedAt: maker.at, expiresAt, status: 'PENDING' };
}

/** An instruction as reads report it: a pending one past its expiry is EXPIRED. */
export function instructionView(instruction: Instruction, now: string): Instruction {
  return instruction.status === 'PENDING' && millisOf(now) >= millisOf(instruction.expiresAt)
    ? { ...instruction, status: 'EXPIRED' }
    : instruction;
}

/** A checker may decide a pending, unexpired instruction that another user made. */
function requireDecidable(
  instruction: Instruction,
  checker: InstructionVote,
): Extract<Instruction, { status: 'PENDING' }> {
  const current = instructionView(instruction, checker.at);
  if (current.status === 'EXPIRED') {
    throw new ScfError('INSTRUCTION_EXPIRED', `instruction ${instruction.id} expired at ${instruction.expiresAt}`);
  }
  if (current.status !== 'PENDING') {
    throw new ScfError('INVALID_STATE', `instruction ${instruction.id} was already ${current.status}`);
  }
  if (current.maker.userId === checker.userId) {
    throw new ScfError('FORBIDDEN', `the maker of instruction ${instruction.id} cannot decide it: a second user must`);
  }
  return current;
}

/**
 * Approval names the hash the checker reviewed; it must be what the maker proposed, and what
 * this approval carries (the transient values sent again) must hash to it too.
 */
export function approveInstruction(
  instruction: Instruction,
  checker: InstructionVote,
  hashes: { readonly reviewed: string; readonly carried: string },
  txId: string,
): Instruction {
  const pending = requireDecidable(instruction, checker);
  if (hashes.reviewed !== pending.argsHash || hashes.carried !== pending.argsHash) {
    throw new ScfError(
      'INSTRUCTION_CHANGED',
      `instruction ${instruction.id} was proposed as ${pending.argsHash}; ` +
        `approved as ${hashes.reviewed}, carrying ${hashes.carried}`,
    );
  }
  return { ...pending, status: 'EXECUTED', checker, executedTxId: txId };
}

export function rejectInstruction(instruction: Instruction, checker: InstructionVote, reason: string): Instruction {
  return { ...requireDecidable(instruction, checker), status: 'REJECTED', checker, reason };
}
