import { RouteSpec } from '@netcanvas/model';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROUTE, draftOf, routeOf } from '../src/inspector/RouteForm';

describe('the route form’s draft', () => {
  it.each([
    { to: 'default', via: '10.1.0.1' },
    { to: '10.2.0.0/24', dev: 'eth0', metric: 5 },
    { type: 'blackhole', to: '10.9.0.0/16' },
    { type: 'prohibit', to: '10.8.0.0/16', metric: 7 },
  ])('gives back %j', (input) => {
    const route = RouteSpec.parse(input);
    expect(RouteSpec.parse(routeOf(draftOf(route)))).toEqual(route);
  });

  it('leaves out the gateway and device it hides for a typed route, and keeps them in the draft', () => {
    const draft = { ...EMPTY_ROUTE, to: '10.9.0.0/16', via: '10.1.0.1', dev: 'eth0', type: 'blackhole' };
    expect(routeOf(draft)).toEqual({ type: 'blackhole', to: '10.9.0.0/16', metric: undefined });
    expect(RouteSpec.parse(routeOf(draft))).toEqual({ type: 'blackhole', to: '10.9.0.0/16' });
    // Back to unicast: what was typed there is there again.
    expect(routeOf({ ...draft, type: '' })).toMatchObject({ via: '10.1.0.1', dev: 'eth0' });
  });
});
