import type { EndpointSpec } from '@netcanvas/model';
import { Facts, Section } from './Section';

/** The document's side of a veth end, for a viewer. */
export function ReadOnlyEnd({ end }: { end: EndpointSpec }) {
  return (
    <Section title="In the topology">
      <Facts
        rows={[
          ['desired', end.up ? 'up' : 'down'],
          ['addresses', end.addresses.join(' ') || '—'],
          ['mtu', end.mtu ?? 'default'],
          ['mac', end.mac ?? 'kernel’s'],
        ]}
      />
    </Section>
  );
}
