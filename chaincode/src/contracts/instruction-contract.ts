import { createHash } from 'crypto';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { z } from 'zod';
import { FOUR_EYES_TRANSACTIONS, isFourEyesTransaction, needsSecondUser } from '../access/four-eyes';
import { isTransactionName } from '../access/policy';
import { loadForRead, requireReader } from '../access/read-policy';
import { actingEnterprise } from '../access/relationships';
import { userRolesOf } from '../access/user-roles';
import { ScfError } from '../domain/errors';
import { InstructionId, parseArg, parseJsonArg, Reason, Sha256Hex } from '../domain/inputs';
import {
  approveInstruction,
  instructionHash,
  instructionId,
  instructionView,
  openInstruction,
  rejectInstruction,
} from '../domain/instruction-rules';
import type { Instruction, InstructionVote } from '../domain/model';
import { parseInstant } from '../domain/time';
import { userIdOf } from '../domain/user-rules';
import { AMOUNT_PATTERN } from '../domain/vocabulary';
import { arityOf, transactionBody } from './dispatch';
import { enterpriseListing } from './paging';
import { authorizeSigner, emit, reply, ScfContract } from './scf-contract';
import { ScfContext, type TxScope } from './scf-context';

const FourEyesName = z
  .string()
  .refine(isFourEyesTransaction, 'is not a transaction an enterprise may put under four eyes');
const InstructedArgs = z.array(z.string().max(4096)).max(12);
/** Transaction → threshold in minor units ("0": always); the policy cannot exempt itself. */
const FourEyesPolicy = z.record(
  FourEyesName.refine((name) => name !== 'Instruction:SetPolicy', 'always needs four eyes'),
  z.string().regex(AMOUNT_PATTERN, 'must be an amount in minor units'),
);

/**
 * Four eyes (maker and checker): the enterprise's policy names transactions that need a second
 * user from an amount; a maker proposes such a call, a checker of the same enterprise approves
 * it (it runs then, every check again) or rejects it.
 */
@Info({ title: 'Instruction', description: 'Four eyes: maker-checker instructions and the policy that requires them' })
export class InstructionContract extends ScfContract {
  constructor() {
    super('Instruction');
  }

  /** `argsJson`: the transaction's arguments, exactly as a direct call passes them; transient data as well. */
  @Transaction()
  @Returns('string')
  async Propose(ctx: ScfContext, transaction: string, argsJson: string, expiresAt: string): Promise<string> {
    const tx = ctx.tx;
    const name = parseArg('transaction', FourEyesName, transaction);
    const args = parseJsonArg('args', InstructedArgs, argsJson);
    const expected = arityOf(transactionBody(name, [this]));
    if (args.length !== expected) throw new ScfError('INVALID_ARGUMENT', `${name} takes ${expected} arguments`);
    // The maker must be one who may call it directly: the same access check, user role included.
    const maker = await authorizeSigner(ctx, name);
    // A policy is checked when proposed, so that a checker never reviews one that cannot apply.
    if (name === 'Instruction:SetPolicy') parseJsonArg('policy', FourEyesPolicy, args[0] ?? '');
    if (!(await needsSecondUser(name, maker, args, tx))) {
      throw new ScfError('INVALID_STATE', `${name} with these arguments needs no second user: call it directly`);
    }
    const enterprise = actingEnterprise(maker);
    const input = {
      id: instructionId(tx.txId),
      enterpriseId: enterprise.id,
      transaction: name,
      args,
      argsHash: instructionHash(name, args, transientHashes(tx, name)),
    };
    const instruction = openInstruction(input, voteOf(tx), parseInstant('expiresAt', expiresAt));
    await tx.instructions.create(instruction);
    return emit(tx, { event: 'InstructionProposed', answer: instruction });
  }

  /**
   * A checker approves what it reviewed (`argsHash`), sending the same transient data: the
   * instruction runs now as its transaction's body, every check again, and answers as it does.
   */
  @Transaction()
  @Returns('string')
  async Approve(ctx: ScfContext, id: string, argsHash: string): Promise<string> {
    const tx = ctx.tx;
    const instruction = await this.ownInstruction(tx, id);
    const reviewed = parseArg('argsHash', Sha256Hex, argsHash);
    const carried = instructionHash(
      instruction.transaction,
      instruction.args,
      transientHashes(tx, instruction.transaction),
    );
    const executed = approveInstruction(instruction, voteOf(tx), { reviewed, carried }, tx.txId);
    await requireMakerStillMay(tx, instruction);
    tx.actor = await authorizeSigner(ctx, instruction.transaction, true);
    await tx.instructions.save(executed);
    return transactionBody(instruction.transaction, [this])(ctx, ...instruction.args);
  }

  @Transaction()
  @Returns('string')
  async Reject(ctx: ScfContext, id: string, reason: string): Promise<string> {
    const tx = ctx.tx;
    const instruction = await this.ownInstruction(tx, id);
    const rejected = rejectInstruction(instruction, voteOf(tx), parseArg('reason', Reason, reason));
    await tx.instructions.save(rejected);
    return emit(tx, { event: 'InstructionRejected', answer: rejected });
  }

  /**
   * Replaces the enterprise's four-eyes policy: {"Receivable:Issue": "100000000", …}, each
   * transaction with the amount in minor units from which it needs a checker ("0": always;
   * `{}`: none). Runs only as an approved instruction: a policy change needs four eyes too.
   */
  @Transaction()
  @Returns('string')
  async SetPolicy(ctx: ScfContext, policyJson: string): Promise<string> {
    const tx = ctx.tx;
    const updated = { ...actingEnterprise(tx.signedBy), fourEyes: parseJsonArg('policy', FourEyesPolicy, policyJson) };
    await tx.enterprises.save(updated);
    return emit(tx, { event: 'FourEyesPolicySet', answer: updated });
  }

  @Transaction(false)
  @Returns('string')
  async Get(ctx: ScfContext, id: string): Promise<string> {
    const tx = ctx.tx;
    const instructionIdArg = parseArg('instructionId', InstructionId, id);
    const what = `instruction ${instructionIdArg}`;
    const instruction = await loadForRead(tx.signedBy, what, () => tx.instructions.get(instructionIdArg));
    requireReader(tx.signedBy, [instruction.enterpriseId], what);
    return reply(instructionView(instruction, tx.now));
  }

  /** The enterprise's undecided instructions, oldest id first, expired ones shown as EXPIRED. */
  @Transaction(false)
  @Returns('string')
  async ListPending(ctx: ScfContext, enterpriseId: string, pageSize: string, bookmark: string): Promise<string> {
    const tx = ctx.tx;
    const page = await enterpriseListing(
      tx,
      enterpriseId,
      pageSize,
      bookmark,
      (owner, size, mark) => tx.instructions.pending(owner, size, mark),
      async (instruction) => instructionView(await tx.instructions.get(instruction), tx.now),
    );
    return reply(page);
  }

  /** An instruction of the signer's own enterprise; any other is NOT_FOUND, so none is told apart. */
  private async ownInstruction(tx: TxScope, id: string): Promise<Instruction> {
    const instructionIdArg = parseArg('instructionId', InstructionId, id);
    const instruction = await tx.instructions.get(instructionIdArg);
    if (instruction.enterpriseId !== actingEnterprise(tx.signedBy).id) {
      throw new ScfError('NOT_FOUND', `instruction ${instructionIdArg} does not exist`);
    }
    return instruction;
  }
}

function voteOf(tx: TxScope): InstructionVote {
  const actor = tx.signedBy;
  if (actor.kind !== 'enterprise')
    throw new ScfError('FORBIDDEN', 'only a user of an enterprise takes part in four eyes');
  return { userId: actor.user.id, mspId: actor.signer.mspId, clientId: actor.signer.clientId, at: tx.now };
}

/** SHA-256 of each transient value the transaction reads, as this proposal carries them. */
function transientHashes(tx: TxScope, transaction: string): Record<string, string> {
  const names: readonly string[] = isFourEyesTransaction(transaction)
    ? FOUR_EYES_TRANSACTIONS[transaction].transient
    : [];
  const hashes: Record<string, string> = {};
  for (const name of names) {
    const value = tx.transient(name);
    if (value) hashes[name] = createHash('sha256').update(value).digest('hex');
  }
  return hashes;
}

/** The maker is still a user of the enterprise, in a role that may make this call. */
async function requireMakerStillMay(tx: TxScope, instruction: Instruction): Promise<void> {
  // By user, not key: a maker that rotated its key since is still the maker (at most MAX_USERS reads).
  const users = await tx.enterprises.listUsers(instruction.enterpriseId);
  const binding = users.find((user) => userIdOf(user) === instruction.maker.userId);
  const stillMay =
    binding !== undefined &&
    isTransactionName(instruction.transaction) &&
    userRolesOf(instruction.transaction).includes(binding.role);
  if (!stillMay) {
    throw new ScfError('FORBIDDEN', `the maker of ${instruction.id} may no longer make ${instruction.transaction}`);
  }
}
