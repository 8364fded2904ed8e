import { describe, expect, it } from 'vitest';
import rule from '../../../../shared/rules/ram/user-console-and-access-key.js';
import { consoleLogin, key, names, run, snapshot, user } from '../builders.js';

describe('ram.user-console-and-access-key', () => {
  it('fails a user with console logon and an active key', () => {
    const [result] = run(rule, snapshot({ users: [user('mixed', { console: consoleLogin(), accessKeys: [key('LTAI1')] })] }));
    expect(result).toMatchObject({ status: 'fail', evidence: { activeAccessKeys: ['LTAI1'] } });
  });

  it('passes console-only, key-only, inactive-key and disabled-console users', () => {
    const users = [
      user('human', { console: consoleLogin() }),
      user('program', { accessKeys: [key('LTAI2')] }),
      user('old-key', { console: consoleLogin(), accessKeys: [key('LTAI3', { status: 'Inactive' })] }),
      user('off', { console: consoleLogin({ active: false }), accessKeys: [key('LTAI4')] }),
    ];
    expect(run(rule, snapshot({ users }))).toEqual([]);
  });

  it('is unknown when one side is unknown and the other does not settle it', () => {
    const users = [
      user('no-keys-data', { console: consoleLogin(), accessKeys: null }),
      user('no-console-data', { consoleKnown: false, accessKeys: [key('LTAI5')] }),
      user('settled', { consoleKnown: false, accessKeys: [] }),
    ];
    expect(names(run(rule, snapshot({ users })), 'unknown')).toEqual(['no-keys-data', 'no-console-data']);
  });
});
