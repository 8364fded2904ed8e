/**
 * The Alibaba Cloud SDK packages are CommonJS modules with `exports.default = Client`. Under Node's
 * ESM loader a default import yields the whole `module.exports`, while bundlers may hand back
 * `exports.default`; `ctor()` accepts either so the same code runs under tsx, vitest and esbuild.
 */
import * as ImsModule from '@alicloud/ims20190815';
import * as OpenApiModule from '@alicloud/openapi-core';
import * as RamModule from '@alicloud/ram20150501';
import * as StsModule from '@alicloud/sts20150401';
import * as CredentialsModule from '@alicloud/credentials';

type Ctor<T> = new (...args: never[]) => T;

function ctor<T>(mod: unknown): T {
  let m = mod as { default?: unknown };
  // Unwrap at most twice: namespace → module.exports → exports.default.
  for (let i = 0; i < 2 && typeof m !== 'function' && m && 'default' in m; i++) m = m.default as { default?: unknown };
  if (typeof m !== 'function') throw new Error('unexpected SDK module shape: no client class found');
  return m as T;
}

export type RamClient = InstanceType<typeof RamModule.default.default>;
export type ImsClient = InstanceType<typeof ImsModule.default.default>;
export type StsClient = InstanceType<typeof StsModule.default.default>;
export type OpenApiClient = InstanceType<typeof OpenApiModule.default.default>;
export type CredentialClient = InstanceType<typeof CredentialsModule.default.default>;

export const Ram = ctor<typeof RamModule.default.default & Ctor<RamClient>>(RamModule);
export const Ims = ctor<typeof ImsModule.default.default & Ctor<ImsClient>>(ImsModule);
export const Sts = ctor<typeof StsModule.default.default & Ctor<StsClient>>(StsModule);
export const OpenApi = ctor<typeof OpenApiModule.default.default & Ctor<OpenApiClient>>(OpenApiModule);
export const Credential = ctor<typeof CredentialsModule.default.default & Ctor<CredentialClient>>(CredentialsModule);
/** `@alicloud/credentials` Config (explicit credential types: access_key, sts, ram_role_arn, ...). */
export const CredentialConfig = (CredentialsModule as unknown as { Config: typeof CredentialsModule.Config }).Config ??
  (CredentialsModule.default as unknown as { Config: typeof CredentialsModule.Config }).Config;

/** Request/response model namespaces (`new $Ram.ListUsersRequest({...})`). */
export { RamModule as $Ram, ImsModule as $Ims, StsModule as $Sts };
export const $OpenApiUtil = OpenApiModule.$OpenApiUtil;
export const OpenApiUtil = OpenApiModule.OpenApiUtil;
