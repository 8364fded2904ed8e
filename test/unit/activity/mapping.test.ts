import { describe, expect, it } from 'vitest';
import { createMapper, eventAction } from '../../../shared/activity/mapping.js';

describe('event → RAM action', () => {
  it('lower-cases the service and keeps the event name', () => {
    expect(eventAction({ serviceName: 'Ecs', eventName: 'DescribeInstances', eventType: 'ApiCall' })).toBe('ecs:DescribeInstances');
    expect(eventAction({ serviceName: 'Actiontrail', eventName: 'LookupEvents' })).toBe('actiontrail:LookupEvents');
    expect(eventAction({ serviceName: 'Ram', eventName: 'AttachPolicyToUser', eventType: 'ConsoleOperation' })).toBe('ram:AttachPolicyToUser');
  });

  it('applies the service override table (SLS authorizes as log, IMS as ram)', () => {
    expect(eventAction({ serviceName: 'Sls', eventName: 'GetLogs' })).toBe('log:GetLogs');
    expect(eventAction({ serviceName: 'Ims', eventName: 'GetUser' })).toBe('ram:GetUser');
  });

  it('takes caller overrides for services and single actions, over the defaults', () => {
    const mapper = createMapper({ services: { ContainerService: 'cs', Sls: 'sls' }, actions: { 'oss:PutObject': 'oss:PutObjectAcl' } });
    expect(mapper.action({ serviceName: 'containerservice', eventName: 'DescribeClusters' })).toBe('cs:DescribeClusters');
    expect(mapper.action({ serviceName: 'Sls', eventName: 'GetLogs' })).toBe('sls:GetLogs');
    expect(mapper.action({ serviceName: 'Oss', eventName: 'PutObject' })).toBe('oss:PutObjectAcl');
    expect(mapper.service('SLS')).toBe('sls');
  });

  it('maps sign-ins, service events and incomplete records to no action', () => {
    expect(eventAction({ serviceName: 'AasSub', eventName: 'ConsoleSignin', eventType: 'ConsoleSignin' })).toBeNull();
    expect(eventAction({ serviceName: 'AasCustomer', eventName: 'ConsoleSignout', eventType: 'ApiCall' })).toBeNull();
    expect(eventAction({ serviceName: 'Ecs', eventName: 'AutoRenew', eventType: 'AliyunServiceEvent' })).toBeNull();
    expect(eventAction({ serviceName: '', eventName: 'X' })).toBeNull();
  });
});
