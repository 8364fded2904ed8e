import { describe, expect, it } from 'vitest';
import { renderConsolePrompt } from '../../../templates/chat/console.js';
import { renderDingTalkCard, type DingTalkCardButton } from '../../../templates/chat/dingtalk.js';
import { renderSlackAnswerModal, renderSlackPrompt, type SlackBlock } from '../../../templates/chat/slack.js';
import { SNAPSHOT_CASES, fixtureView } from './fixtures.js';

describe.each(SNAPSHOT_CASES)('%s (%s)', (kind, state) => {
  const view = fixtureView(kind, state);
  it('renders Slack blocks', async () => {
    await expect(JSON.stringify(renderSlackPrompt(view), null, 2)).toMatchFileSnapshot(`__snapshots__/slack/${kind}-${state}.json`);
  });
  it('renders the DingTalk card params', async () => {
    await expect(JSON.stringify(renderDingTalkCard(view), null, 2)).toMatchFileSnapshot(`__snapshots__/dingtalk/${kind}-${state}.json`);
  });
  it('renders console text', async () => {
    await expect(renderConsolePrompt(view)).toMatchFileSnapshot(`__snapshots__/console/${kind}-${state}.txt`);
  });
});

const actions = (blocks: SlackBlock[]) => blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));

describe('Slack prompt', () => {
  it('starts with the header line and gives each item its own buttons', () => {
    const { blocks, text } = renderSlackPrompt(fixtureView('prompt'));
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'ramparts · access review for account prod-main (123456789012) · due Tue 3 Dec', emoji: true } });
    expect(text).toBe('ramparts · access review for account prod-main (123456789012) · due Tue 3 Dec — 2 findings, 2 waiting for your answer');
    expect(blocks.filter((b) => b.type === 'actions').map((b) => (b as { block_id: string }).block_id)).toEqual(['ramparts:task:t-key1', 'ramparts:task:t-admin2']);
  });

  it('makes revoke a danger button whose confirm names exactly what would change', () => {
    const revoke = actions(renderSlackPrompt(fixtureView('prompt')).blocks).find((b) => b.action_id === 'ramparts:revoke:t-key1');
    expect(revoke?.style).toBe('danger');
    expect(revoke?.confirm?.text.text).toBe('*access key LTAI…7Q2 of build-agent*: set the key Inactive (reversible for 30 days)');
    expect(revoke?.confirm?.style).toBe('danger');
    const request = actions(renderSlackPrompt(fixtureView('prompt')).blocks).find((b) => b.action_id === 'ramparts:revoke:t-admin2');
    expect(request?.confirm?.text.text).toContain('file a revocation request');
  });

  it('puts task, action and token in each button value', () => {
    const keep = actions(renderSlackPrompt(fixtureView('prompt')).blocks).find((b) => b.action_id === 'ramparts:keep:t-key1');
    expect(JSON.parse(keep?.value ?? '')).toEqual({ taskId: 't-key1', action: 'keep', token: fixtureView('prompt').items[0]?.buttons[0]?.token, needs: 'reason' });
  });

  it('escapes &, < and > from findings', () => {
    const view = fixtureView('prompt');
    view.items[0]!.subject = 'user <b>&co';
    const section = renderSlackPrompt(view).blocks.find((b) => b.type === 'section' && b.block_id === 'ramparts:item:t-key1');
    expect(JSON.stringify(section)).toContain('user &lt;b&gt;&amp;co');
  });

  it('stays within 50 blocks and says how many findings did not fit', () => {
    const view = fixtureView('prompt');
    const one = view.items[0]!;
    view.items = Array.from({ length: 30 }, (_, i) => ({ ...one, taskId: `t-${i}`, buttons: one.buttons.map((b) => ({ ...b, taskId: `t-${i}` })) }));
    const { blocks } = renderSlackPrompt(view);
    expect(blocks.length).toBeLessThanOrEqual(50);
    const last = blocks.at(-1);
    expect(last?.type).toBe('context');
    expect(JSON.stringify(last)).toContain('15 more findings did not fit');
  });

  it('shows no buttons once nothing is pending', () => {
    expect(actions(renderSlackPrompt(fixtureView('prompt', 'kept')).blocks)).toEqual([]);
  });
});

describe('Slack answer modal', () => {
  it('asks for a reason on keep and carries the answer in private_metadata', () => {
    const modal = renderSlackAnswerModal({ taskId: 't1', action: 'keep', token: 'tok', needs: 'reason', context: 'the item' });
    expect(JSON.parse(modal.private_metadata)).toEqual({ taskId: 't1', action: 'keep', token: 'tok' });
    expect(modal.blocks.map((b) => b.type)).toEqual(['section', 'input']);
    expect(modal.blocks[1]).toMatchObject({ block_id: 'ramparts_reason', element: { type: 'plain_text_input', action_id: 'value' } });
  });
  it('asks for a date on snooze', () => {
    const modal = renderSlackAnswerModal({ taskId: 't1', action: 'snooze', token: 'tok', needs: 'date' });
    expect(modal.blocks).toEqual([expect.objectContaining({ block_id: 'ramparts_until', element: { type: 'datepicker', action_id: 'value' } })]);
  });
});

describe('DingTalk card params', () => {
  it('sends only strings, with the buttons as a JSON list carrying task, action and token', () => {
    const params = renderDingTalkCard(fixtureView('prompt'));
    for (const v of Object.values(params)) expect(typeof v).toBe('string');
    const buttons = JSON.parse(params.buttons) as DingTalkCardButton[];
    expect(buttons).toHaveLength(8);
    expect(buttons[2]).toMatchObject({ text: 'Revoke (#1)', style: 'danger', action: 'revoke', taskId: 't-key1', confirmText: 'access key LTAI…7Q2 of build-agent: set the key Inactive (reversible for 30 days)' });
    expect(params.hasButtons).toBe('true');
    expect(renderDingTalkCard(fixtureView('prompt', 'resolved')).hasButtons).toBe('false');
  });
});

describe('a least-privilege plan shows its exact policy change', () => {
  const diff = ['   "Statement": [', '     {', '-      "Action": "ecs:*",', '+      "Action": [', '+        "ecs:DescribeInstances"', '+      ],'].join('\n');
  const withDiff = (d: string) => {
    const view = fixtureView('prompt');
    return { ...view, items: view.items.map((i, n) => (n === 0 ? { ...i, diff: d } : i)) };
  };

  it('renders the diff in every format', () => {
    const console = renderConsolePrompt(withDiff(diff));
    expect(console).toContain('  Change (policy document, - removed / + added):\n       "Statement": [');
    expect(console).toContain('    -      "Action": "ecs:*",');
    const slack = renderSlackPrompt(withDiff(diff)).blocks.map((b) => JSON.stringify(b)).join('\n');
    expect(slack).toContain('*Change (policy document):*\\n```\\n   \\"Statement\\": [');
    const card = renderDingTalkCard(withDiff(diff));
    expect(card.markdown).toContain('```diff\n   "Statement": [\n     {\n-      "Action": "ecs:*",');
    // Items without a plan diff show no change block.
    expect(renderConsolePrompt(fixtureView('prompt'))).not.toContain('Change (policy document');
  });

  it('cuts a long diff on whole lines and says how many were left out, never breaking the code fence', () => {
    const long = Array.from({ length: 400 }, (_, i) => `-        "ecs:Action${i}",`).join('\n');
    const section = renderSlackPrompt(withDiff(long)).blocks.find((b) => b.type === 'section' && JSON.stringify(b).includes('Change (policy document)'));
    const text = (section as { text: { text: string } }).text.text;
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text.endsWith('```')).toBe(true);
    expect(text).toMatch(/\n… \d+ more line\(s\): ramparts tasks --format json shows the whole diff\n```$/);
    for (const line of text.split('\n').slice(2, -2)) expect(line).toMatch(/^- {8}"ecs:Action\d+",$/);
  });
});
