import { describe, expect, it } from 'vitest';
import { namespacesNamed } from '../src/session';

// A session keeps an fd to every namespace its lines name (iproute2 never closes it): these are
// the namespaces whose deletion must renew the session.
describe('namespacesNamed', () => {
  it('finds the namespace of netns add/set and of link add ... netns', () => {
    expect(namespacesNamed('netns add ns0')).toEqual(['ns0']);
    expect(namespacesNamed('netns set ns0 auto')).toEqual(['ns0']);
    expect(
      namespacesNamed(
        'link add name veth0 netns ns0 group 28259 type veth peer name veth1 netns ns1 group 28259',
      ),
    ).toEqual(['ns0', 'ns1']);
  });

  it('finds none in lines that open no namespace by name', () => {
    expect(namespacesNamed('netns del ns0')).toEqual([]);
    expect(namespacesNamed('netns exec ns0 sysctl -q -w net.ipv4.ip_forward=1')).toEqual([]);
    expect(namespacesNamed('link set dev vroot up')).toEqual([]);
  });
});
