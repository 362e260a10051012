import { readFileSync } from 'fs';
import { z } from 'zod';
import { CaProfileSchema } from '../../identity/ca-profile';

/**
 * The Fabric network as the gateway sees it: entry peers, each bank's Fabric CA and the
 * bank admins' identities. `scripts/network.sh deploy` writes one for the local network.
 */
const ConnectionProfile = z.object({
  channel: z.string().min(1),
  chaincode: z.string().min(1),
  /**
   * The organisations the chaincode's endorsement policy needs (the consortium banks): every
   * public write names them, since Fabric's planning cannot when a bank's peer reads its
   * private terms (see FabricBackend).
   */
  endorsingOrganizations: z.array(z.string().min(1)).min(1),
  peers: z
    .array(
      z.object({
        name: z.string(),
        mspId: z.string(),
        endpoint: z.string(),
        hostOverride: z.string().optional(),
        tlsRootCertPath: z.string(),
      }),
    )
    .min(1),
  cas: z.array(CaProfileSchema),
  identities: z.record(z.string(), z.object({ admin: z.object({ certPath: z.string(), keyDir: z.string() }) })),
});
export type ConnectionProfile = z.infer<typeof ConnectionProfile>;
export type PeerProfile = ConnectionProfile['peers'][number];

export function loadConnectionProfile(file: string): ConnectionProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(
      `no Fabric connection profile at ${file}: start and deploy the network with ` +
        '"scripts/network.sh up && scripts/network.sh deploy", or set SCF_CONNECTION_PROFILE',
    );
  }
  const parsed = ConnectionProfile.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`the connection profile ${file} is malformed: ${issues.join('; ')}`);
  }
  return parsed.data;
}
