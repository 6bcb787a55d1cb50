import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from './canvas/Canvas';
import { ConnectDialog } from './dialogs/ConnectDialog';
import { DeleteConfirm } from './dialogs/DeleteConfirm';
import { NewNodeDialog } from './dialogs/NewNodeDialog';
import { ScriptDialog } from './dialogs/ScriptDialog';
import { Inspector } from './inspector/Inspector';
import { NetfilterPicture } from './netfilter/NetfilterPicture';
import { CommandLog } from './panels/CommandLog';
import { FailureBanner } from './panels/FailureBanner';
import { Notices } from './panels/Notices';
import { Palette } from './panels/Palette';
import { SessionEnded } from './panels/SessionEnded';
import { TopBar } from './panels/TopBar';
import { useSession } from './store/session';
import { useUi } from './store/ui';

export function App() {
  const editable = useSession((s) => s.role === 'editor');
  const ready = useSession((s) => s.ready);
  const everConnected = useSession((s) => s.role !== null);
  const problem = useSession((s) => s.connectionProblem);
  const ended = useSession((s) => s.connection === 'ended');
  const connectDraft = useUi((s) => s.connectDraft);
  const newNodeDraft = useUi((s) => s.newNodeDraft);
  const script = useUi((s) => s.script);
  const netfilter = useUi((s) => s.netfilter);
  return (
    <ReactFlowProvider>
      <div className="flex h-full flex-col bg-slate-50 text-slate-900">
        <TopBar />
        <SessionEnded />
        <FailureBanner />
        <div className="flex min-h-0 flex-1">
          {editable && ready && <Palette />}
          <main className="relative min-w-0 flex-1" aria-label="canvas">
            {everConnected ? (
              <Canvas />
            ) : (
              <div className="flex h-full items-center justify-center p-8 text-center text-slate-600">
                <div>
                  <p className="text-lg font-semibold">
                    {ended ? 'Not connected to the agent' : 'Connecting to the agent…'}
                  </p>
                  {problem && !ended && <p className="mt-2 max-w-md text-sm">{problem}</p>}
                </div>
              </div>
            )}
            {everConnected && netfilter !== null && <NetfilterPicture namespace={netfilter} />}
          </main>
          {everConnected && <Inspector />}
        </div>
        <CommandLog />
      </div>
      <Notices />
      {connectDraft && editable && <ConnectDialog draft={connectDraft} />}
      {newNodeDraft && editable && <NewNodeDialog draft={newNodeDraft} />}
      {script !== null && <ScriptDialog script={script} />}
      {editable && <DeleteConfirm />}
    </ReactFlowProvider>
  );
}
