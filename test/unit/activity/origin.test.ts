import { describe, expect, it } from 'vitest';
import { agentClassifier, classifyAgent, classifyIp, isRuntimeFamily } from '../../../shared/activity/origin.js';

describe('classifyIp', () => {
  it('puts private, shared (100.64/10) and unique-local addresses inside Alibaba Cloud', () => {
    for (const ip of ['10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.254', '192.168.1.20', '100.64.0.1', '100.127.255.255', '100.100.100.200', 'fd12:3456::1', 'FC00::1', '::ffff:10.1.2.3']) {
      expect(classifyIp(ip), ip).toBe('internal');
    }
  });

  it('calls the neighbours of those ranges public', () => {
    for (const ip of ['172.15.255.255', '172.32.0.1', '192.169.0.1', '100.63.255.255', '100.128.0.1', '203.0.113.10', '11.11.11.1', '8.8.8.8', '2408:4001::1', 'fbff::1', '::ffff:8.8.8.8']) {
      expect(classifyIp(ip), ip).toBe('public');
    }
  });

  it('classifies masked addresses by their known prefix, and is unsure when the deciding octet is masked', () => {
    expect(classifyIp('192.168.XX.XX')).toBe('internal');
    expect(classifyIp('10.XX.XX.XX')).toBe('internal');
    expect(classifyIp('172.20.*.*')).toBe('internal');
    expect(classifyIp('100.104.XX.XX')).toBe('internal');
    expect(classifyIp('203.0.XX.XX')).toBe('public');
    expect(classifyIp('172.XX.XX.XX')).toBe('other');
    expect(classifyIp('XX.XX.XX.XX')).toBe('other');
  });

  it('finds no origin in host names, loopback, link-local, multicast or garbage', () => {
    for (const ip of ['ecs.aliyuncs.com', 'Internal', '', '127.0.0.1', '169.254.1.1', '224.0.0.1', '0.0.0.0', '::1', 'fe80::1', 'ff02::1', '1.2.3', '1.2.3.4.5', '300.1.1.1', '1..2.3']) {
      expect(classifyIp(ip), ip).toBe('other');
    }
    expect(classifyIp(null)).toBe('other');
  });
});

describe('classifyAgent', () => {
  it('tells the verified client strings apart', () => {
    expect(classifyAgent('AlibabaCloud (linux; x64) Node.js/v20.20.2 Core/1.0.1 TeaDSL/2')).toBe('sdk');
    expect(classifyAgent('aliyun-sdk-nodejs/6.23.0 Node.js 20.20.2 on linux x64')).toBe('sdk');
    expect(classifyAgent('Aliyun-CLI/3.0.277')).toBe('cli');
    expect(classifyAgent('ecs.aliyuncs.com')).toBe('service');
    expect(classifyAgent('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15')).toBe('browser');
    expect(classifyAgent('Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-alicloud/1.230.0')).toBe('terraform');
    expect(classifyAgent('curl/8.5.0')).toBe('other');
    expect(classifyAgent('')).toBeNull();
  });

  it('marks cloud runtimes (patterns UNVERIFIED), ahead of the SDK string they carry', () => {
    expect(classifyAgent('AlibabaCloud (linux; x64) Python/3.10.13 Core/2.13 FunctionCompute/3.0 fc-runtime/python3.10')).toBe('fc');
    expect(classifyAgent('AlibabaCloud (linux; amd64) Go/go1.22 Core/1.0 aliyun-assist/2.5.3')).toBe('ecs');
    expect(classifyAgent('AlibabaCloud (linux; amd64) Go/go1.22 Core/1.0 alibaba-cloud-csi-driver/v1.30')).toBe('ack');
    expect(['fc', 'ecs', 'ack'].every((f) => isRuntimeFamily(f as 'fc'))).toBe(true);
    expect(isRuntimeFamily('sdk')).toBe(false);
    // Plain words that merely contain the letters do not count.
    expect(classifyAgent('feedback-tool/1.0 (slack-bot)')).toBe('other');
  });

  it('caches per user agent, within a bound', () => {
    const classify = agentClassifier(2);
    expect(classify('Aliyun-CLI/3.0.1')).toBe('cli');
    expect(classify('Aliyun-CLI/3.0.1')).toBe('cli');
    expect(classify('a')).toBe('other');
    expect(classify('ecs.aliyuncs.com')).toBe('service');
    expect(classify('')).toBeNull();
  });
});
