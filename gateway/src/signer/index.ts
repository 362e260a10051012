/** The user's side of self-custody, for ERP integrations: keys, requests and signatures that never leave it. */
export { certificateRequest, generateKey, signDigest } from './keys';
export {
  callOffline,
  rotateOffline,
  GatewayRefusal,
  type OfflineCall,
  type OfflineClientOptions,
  type ReviewedStep,
} from './offline-client';
