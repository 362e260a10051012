/**
 * The vocabularies of the chaincode's transaction arguments, one declaration each. The
 * chaincode validates with these, and exports them (`vocabulary`) so that a client checks
 * the same shapes before it submits.
 */

/** An enterprise id: its DID. */
export const DID_PATTERN = /^did:scf:[a-z0-9][a-z0-9-]{1,62}$/;
/** A document digest: lowercase hex SHA-256. */
export const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/;
/** An ISO 4217 currency code such as CNY. */
export const CURRENCY_PATTERN = /^[A-Z]{3}$/;
/** An amount on the wire and on the ledger: a decimal string of integer minor units. */
export const AMOUNT_PATTERN = /^(0|[1-9][0-9]*)$/;
/** The money ceiling: int64's, so every amount fits the banks' own systems. */
export const MAX_AMOUNT = 2n ** 63n - 1n;
/** A calendar date, YYYY-MM-DD (impossible dates such as 2027-02-30 are refused besides). */
export const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
/** An instant: ISO-8601 with a date, a time and an explicit zone (and one Date.parse reads). */
export const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T[^]*(Z|[+-]\d{2}:\d{2})$/;
/** An enterprise registration number as sent (transient): 6-64 letters, digits, hyphens or spaces. */
export const REGISTRATION_NUMBER_PATTERN = /^[0-9A-Za-z\- ]{6,64}$/;

export const ROLES = ['CORE', 'SUPPLIER', 'BANK', 'AUDITOR', 'REGULATOR'] as const;
export type RoleName = (typeof ROLES)[number];
/**
 * A user's role inside its enterprise: ADMIN manages the enterprise's users (and does what a
 * maker does), MAKER (经办) and CHECKER (审核) write, VIEWER only reads.
 */
export const USER_ROLES = ['ADMIN', 'MAKER', 'CHECKER', 'VIEWER'] as const;
export type UserRoleName = (typeof USER_ROLES)[number];
/**
 * Users one enterprise may have: every change to the enterprise record rewrites each user's
 * binding (it carries a copy for the one-key access check), so this bounds that write.
 */
export const MAX_USERS = 20;
/** Roles that may hold, split and pass on certificates. */
export const HOLDER_ROLES: readonly RoleName[] = ['CORE', 'SUPPLIER', 'BANK'];
/** Roles that see every enterprise's listings; others see only their own. */
export const OVERSIGHT_ROLES: readonly RoleName[] = ['AUDITOR', 'REGULATOR'];

export const FINANCING_MODES = ['PLEDGE', 'ASSIGNMENT'] as const;
/** What a regulator may freeze. */
export const FREEZE_KINDS = ['certificate', 'receivable'] as const;
/** The records whose key history `Trace:History` reads. */
export const HISTORY_KINDS = [
  'certificate',
  'receivable',
  'enterprise',
  'creditLine',
  'financing',
  'settlement',
] as const;
/** What a governance proposal may change in the consortium's rules (`Governance:Propose`). */
export const GOVERNANCE_KINDS = [
  'limits',
  'credentialPolicy',
  'addBank',
  'removeBank',
  'threshold',
  'suspendBank',
  'reinstateBank',
  'businessTimeZone',
  'dayCount',
] as const;
/** Day-count conventions for discount interest: actual days over a 360- or a 365-day year. */
export const DAY_COUNTS = ['ACT/360', 'ACT/365F'] as const;
/** A bank organisation's convention until governance chooses another for it. */
export const DEFAULT_DAY_COUNT = 'ACT/360';
/** Where the consortium's business days begin and end, until governance moves it. */
export const DEFAULT_BUSINESS_TIME_ZONE = 'Asia/Shanghai';
/** A proposal is open for at most this long: a stale majority should not decide. */
export const MAX_PROPOSAL_SECONDS = 90 * 24 * 3600;
/** The longest a maker's instruction may wait for a checker. */
export const MAX_INSTRUCTION_SECONDS = 30 * 24 * 3600;
/** The longest a lost-key recovery stays open for its guardians' approvals. */
export const MAX_RECOVERY_SECONDS = 30 * 24 * 3600;
/** Bank MSP ids, as `Consortium:Initialize` and governance name them. */
export const MSP_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$/;
/** The records whose documents `Trace:Attestations` lists. */
export const ATTESTED_KINDS = ['receivable', 'financing'] as const;

/**
 * Which role may issue which credential type, in one table; its keys are the credential types.
 * An issuer that no longer holds an entitled role makes its credentials UNKNOWN_ISSUER.
 */
export const CREDENTIAL_ISSUERS: Readonly<Record<string, readonly RoleName[]>> = {
  KYC: ['BANK'],
  CREDIT_RATING: ['REGULATOR', 'BANK'],
  CORE_ENTERPRISE_STATUS: ['REGULATOR'],
  AUDIT_OPINION: ['AUDITOR'],
};
export const CREDENTIAL_TYPES = Object.keys(CREDENTIAL_ISSUERS) as readonly string[];

/** Listings are paged: at most this many items a page; the bookmark is opaque and URL-safe. */
export const MAX_PAGE_SIZE = 200;
export const BOOKMARK_PATTERN = /^[A-Za-z0-9_-]*$/;
export const MAX_BOOKMARK_LENGTH = 2048;
