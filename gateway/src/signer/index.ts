/** The user's side of self-custody, for ERP integrations: keys, requests and signatures that never leave it. */
export { certificateRequest, generateKey, signDigest } from './keys';
export {
  callOffline,
  GatewayRefusal,
  type OfflineCall,
  type OfflineClientOptions,
  type ReviewedStep,
} from './offline-client';
