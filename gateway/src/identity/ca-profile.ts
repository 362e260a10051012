import { z } from 'zod';

/**
 * A bank's Fabric CA as the gateway reaches it: where it is, its TLS root, and the
 * registrar that registers customers.
 */
export const CaProfileSchema = z.object({
  mspId: z.string(),
  url: z.string().url(),
  caName: z.string(),
  tlsRootCertPath: z.string(),
  registrar: z.object({ enrollmentId: z.string(), enrollmentSecret: z.string() }),
});
export type CaProfile = z.infer<typeof CaProfileSchema>;
