import { describe, expect, it } from 'vitest';
import rule from '../../../../shared/rules/ram/access-key-multiple-active.js';
import { key, names, run, snapshot, user } from '../builders.js';

describe('ram.access-key-multiple-active', () => {
  it('fails a user with two active keys', () => {
    const [result] = run(rule, snapshot({ users: [user('ci', { accessKeys: [key('K1'), key('K2')] })] }));
    expect(result).toMatchObject({ status: 'fail', subject: { type: 'user', name: 'ci' }, evidence: { activeAccessKeys: ['K1', 'K2'] } });
  });

  it('passes one active key plus an inactive one', () => {
    expect(run(rule, snapshot({ users: [user('ci', { accessKeys: [key('K1'), key('K2', { status: 'Inactive' })] })] }))).toEqual([]);
  });

  it('is unknown when keys could not be listed', () => {
    expect(names(run(rule, snapshot({ users: [user('ci', { accessKeys: null })] })), 'unknown')).toEqual(['ci']);
  });
});
