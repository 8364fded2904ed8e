import type { Product } from '../stats.js';
import { actionTrailActions } from './actiontrail.js';
import { actionTrailTrailActions } from './actiontrail-trails.js';
import type { ActionTable } from './context.js';
import { imsAccountActions } from './ims-account.js';
import { imsIdentityActions } from './ims-identity.js';
import { imsWriteActions } from './ims-write.js';
import { kmsActions } from './kms.js';
import { ramIdentityActions } from './ram-identity.js';
import { ramPolicyActions } from './ram-policy.js';
import { ramWriteActions } from './ram-write.js';
import { resourceManagerActions } from './resourcemanager.js';
import { stsActions } from './sts.js';

/** Action handlers per product; a product's table is the union of its files' tables. */
export const ACTIONS: Readonly<Record<Product, ActionTable>> = {
  ram: { ...ramIdentityActions, ...ramPolicyActions, ...ramWriteActions },
  ims: { ...imsIdentityActions, ...imsAccountActions, ...imsWriteActions },
  sts: stsActions,
  actiontrail: { ...actionTrailActions, ...actionTrailTrailActions },
  resourcemanager: resourceManagerActions,
  kms: kmsActions,
};

/** Actions that change the account, per product (counted under `writes` in the statistics). */
export const WRITE_ACTIONS: Readonly<Record<Product, ReadonlySet<string>>> = {
  ram: new Set(Object.keys(ramWriteActions)),
  ims: new Set(Object.keys(imsWriteActions)),
  sts: new Set(),
  actiontrail: new Set(),
  resourcemanager: new Set(),
  kms: new Set(),
};

/** API version → product. All products share one endpoint, as `RAMPARTS_CLOUD_ENDPOINT` sends every service to one. */
export const VERSIONS: Readonly<Record<string, Product>> = {
  '2015-05-01': 'ram',
  '2019-08-15': 'ims',
  '2015-04-01': 'sts',
  '2020-07-06': 'actiontrail',
  '2020-03-31': 'resourcemanager',
  '2016-01-20': 'kms',
};

/** The `HostId` each product reports in error bodies. */
export const HOST_IDS: Readonly<Record<Product, string>> = {
  ram: 'ram.aliyuncs.com',
  ims: 'ims.aliyuncs.com',
  sts: 'sts.aliyuncs.com',
  actiontrail: 'actiontrail.cn-hangzhou.aliyuncs.com',
  resourcemanager: 'resourcemanager.aliyuncs.com',
  kms: 'kms.cn-hangzhou.aliyuncs.com',
};

export type { ActionContext, ActionHandler, ActionTable, Caller, WireBody } from './context.js';
