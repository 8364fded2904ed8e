/**
 * The generic OpenAPI call description of an RPC-style action (reference §4.1): used for the products
 * whose SDK packages are not on the registry or are an old generation (ActionTrail, ResourceManager,
 * KMS). POST with form-encoded parameters, JSON answers, AK signature (ACS3).
 */
import { $OpenApiUtil } from './sdk.js';

export function rpcParams(action: string, version: string): InstanceType<typeof $OpenApiUtil.Params> {
  return new $OpenApiUtil.Params({
    action,
    version,
    protocol: 'HTTPS',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
}
