/**
 * `ramparts demo` end to end: the scan, the review cycle, approval under separation of duties through
 * signed callbacks, observe then enforce mode changing the emulated account, a rollback, the evidence
 * file, the weekly digest — every claim the demo prints is checked here against what actually happened.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/program.js';
import { Sink } from './sink.js';

function capture(): { io: Parameters<typeof runCli>[1]; out: () => string; err: () => string } {
  const stdout = new Sink();
  const stderr = new Sink();
  return { io: { stdout, stderr, env: {}, cwd: process.cwd() }, out: () => stdout.text, err: () => stderr.text };
}

describe('ramparts demo', () => {
  it('runs the whole cycle against the in-process emulator and says what changed', async () => {
    const { io, out, err } = capture();
    const status = await runCli(['demo'], io);
    const text = out();
    expect(err()).toBe('');
    expect(status).toBe(0);
    expect(text).toMatch(/POST \/slack\/actions → HTTP 200; task \w{8} \(LTAI5tDemoReportBot00001\) is now awaiting_approval\./);
    expect(text).toContain('The same click signed with a wrong secret → HTTP 401, nothing recorded.');
    expect(text).toMatch(/Chen Jie approves his own request → HTTP 409: You requested this revocation, so someone else must approve it/);
    expect(text).toMatch(/Wang Fang \(his manager\) approves → HTTP 200; task is approved; plan recorded as exec-/);
    expect(text).toContain('observed: would call RAM UpdateAccessKey report-bot/LTAI5tDemoReportBot00001 Status=Inactive');
    expect(text).toContain('RAM write calls: 0 (the emulator counted 0); key status still Active.');
    expect(text).toContain('Key LTAI5tDemoReportBot00001 in the emulated account: Active → Inactive (emulator write calls: 1).');
    expect(text).toContain('Running apply again: 0 writes (exactly once).');
    expect(text).toContain('apply rolled back 1 plan — key status now Active; task is rolled_back.');
    // Least privilege: ecs-operator-lin's ecs:* narrowed to the three actions used, applied, rolled back.
    const lp = text.slice(text.indexOf('━━ 8. Least privilege'), text.indexOf('━━ 9. Evidence'));
    expect(lp).toContain('ram.permission-unused on user ecs-operator-lin (owner Wu Ming):');
    expect(lp).toContain('  uses 3 action(s) of policy:EcsOperator (Custom) in 90 days: ecs:DescribeInstances, ecs:StartInstance, ecs:StopInstance');
    expect(lp).toMatch(/^Plan: make a new default version of custom policy EcsOperator granting only the 3 action\(s\)/m);
    expect(lp).toMatch(/^ {2}- {7}"Action": "ecs:\*",$/m);
    expect(lp).toMatch(/^ {2}\+ {9}"ecs:StartInstance",$/m);
    expect(lp).toContain('Proof: what-if check: all 3 used action(s) the policy granted are still allowed with the new document');
    expect(lp).toContain('→ HTTP 200, HTTP 200; task is approved.');
    expect(lp).toContain('→ 1 plan applied; EcsOperator default version v1 → v2');
    expect(lp).toContain('  before: {"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"}]}');
    expect(lp).toContain('  after:  {"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:DescribeInstances","ecs:StartInstance","ecs:StopInstance"],"Resource":["*"]}]}');
    expect(lp).toContain('→ rollback_requested, HTTP 200; 1 plan rolled back; task is rolled_back.');
    expect(lp).toContain('EcsOperator default version v2 → v1');
    expect(text).toMatch(/Audit ledger: verified, \d+ entries; head #\d+ [0-9a-f]{64}/);
    // The evidence file exists and carries the story of the revoked key.
    const file = /Wrote \d+ review items to (\S+)/.exec(text)?.[1];
    expect(file).toBeDefined();
    const csv = await readFile(file!, 'utf8');
    const [header, ...rows] = csv.trim().split(/\r?\n/);
    expect(header).toContain('ledgerHeadHash');
    const row = rows.find((r) => r.includes('LTAI…001 of report-bot') || r.includes('report-bot'));
    expect(row).toMatch(/rolled_back/);
    expect(row).toMatch(/Wang Fang/);

    // It ends with the weekly digest: in the terminal, and as an HTML report whose figures match it.
    const digest = text.slice(text.indexOf('━━ 10. Monday morning: the weekly digest'));
    const opened = Number(/(\d+) tasks opened/.exec(text)?.[1]);
    expect(digest).toContain(`New findings: ${opened} (8-week mean 0.0); resolved: 0 (mean 0.0)`);
    expect(digest).toContain('Revocations applied: 2; rolled back: 2');
    expect(digest).toMatch(/with the trend chart as a \d+ kB PNG/);
    const html = /HTML report with charts: (\S+)/.exec(digest)?.[1];
    expect(html).toBeDefined();
    const page = await readFile(html!, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<svg');
    // The last section before the closing hints.
    expect(text.trimEnd().split('\n').slice(-4, -2)).toEqual([`HTML report with charts: ${html}`, '']);
  }, 120_000);
});
