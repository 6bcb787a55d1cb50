import type { EdgeTypes, NodeTypes } from '@xyflow/react';
import { BridgeNodeView } from './BridgeNodeView';
import { CardNodeView } from './CardNodeView';
import { VethEdgeView } from './VethEdgeView';

// At module level: defined inside a component they would remount every node on each render.
export const nodeTypes: NodeTypes = { card: CardNodeView, bridge: BridgeNodeView };
export const edgeTypes: EdgeTypes = { veth: VethEdgeView };
