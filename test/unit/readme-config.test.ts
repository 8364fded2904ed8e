import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderDefaultsDoc } from '../../shared/config/index.js';

describe('README configuration table', () => {
  it('matches the schema defaults (regenerate the region between the config markers from renderDefaultsDoc())', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const region = readme.split('<!-- config:start -->')[1]?.split('<!-- config:end -->')[0];
    expect(region?.trim()).toBe(renderDefaultsDoc().trim());
  });
});
