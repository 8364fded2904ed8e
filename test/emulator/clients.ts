/**
 * Real SDK clients pointed at an emulator. Under Node ESM the default import of these CommonJS packages
 * is the exports object (the class is `.default`), while vitest's interop hands over the class itself:
 * {@link sdkClass} accepts both.
 */
import Ims from '@alicloud/ims20190815';
import Ram from '@alicloud/ram20150501';
import Sts from '@alicloud/sts20150401';
import { $OpenApiUtil } from '@alicloud/openapi-core';

export const SCANNER_KEY = { accessKeyId: 'LTAI5tDemoScannerKey0001', accessKeySecret: 'demo-secret-not-real-0001' };

/** A fixed clock: relative scenario dates resolve the same on every run. */
export const NOW = new Date('2026-06-01T12:00:00Z');
export const fixedClock = (): Date => new Date(NOW.getTime());

export interface ClientOptions {
  accessKeyId?: string;
  accessKeySecret?: string;
  /** `'v2'` selects the legacy V1 RPC signature (HMAC-SHA1), the default is V3 (ACS3-HMAC-SHA256). */
  signatureAlgorithm?: string;
}

function config(endpoint: string, o: ClientOptions = {}): $OpenApiUtil.Config {
  return new $OpenApiUtil.Config({
    accessKeyId: o.accessKeyId ?? SCANNER_KEY.accessKeyId,
    accessKeySecret: o.accessKeySecret ?? SCANNER_KEY.accessKeySecret,
    endpoint,
    protocol: 'http',
    ...(o.signatureAlgorithm ? { signatureAlgorithm: o.signatureAlgorithm } : {}),
  });
}

type Ctor<C> = new (config: $OpenApiUtil.Config) => C;

function sdkClass<C>(mod: { default: Ctor<C> }): Ctor<C> {
  const inner = (mod as unknown as { default?: unknown }).default;
  return (typeof inner === 'function' ? inner : mod) as Ctor<C>;
}

const RamClient = sdkClass(Ram);
const ImsClient = sdkClass(Ims);
const StsClient = sdkClass(Sts);

export const ramClient = (endpoint: string, o?: ClientOptions) => new RamClient(config(endpoint, o));
export const imsClient = (endpoint: string, o?: ClientOptions) => new ImsClient(config(endpoint, o));
export const stsClient = (endpoint: string, o?: ClientOptions) => new StsClient(config(endpoint, o));

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<{ name: string; code: string; statusCode: number; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { name: string; code: string; statusCode: number; message: string };
  }
  throw new Error('expected the call to fail');
}
