import { describe, expect, it } from 'vitest';
import { uiActions, useUi } from '../src/store/ui';

describe('notices', () => {
  it("an edit's refusal goes once a later edit is accepted; other notices stay", () => {
    uiActions.notify('Could not adopt: 10.0.1.1 is already on veth0 in ns1', 'error', null, true);
    uiActions.notify('The kernel refused a command.', 'error');
    expect(useUi.getState().notices.map((n) => n.text)).toHaveLength(2);
    uiActions.editAccepted();
    expect(useUi.getState().notices.map((n) => n.text)).toEqual(['The kernel refused a command.']);
  });
});
