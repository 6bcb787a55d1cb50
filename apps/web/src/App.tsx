import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, type ReactNode } from 'react';
import { Canvas } from './canvas/Canvas';
import { CardTextZoom } from './canvas/CardTextZoom';
import { ConnectDialog } from './dialogs/ConnectDialog';
import { DeleteConfirm } from './dialogs/DeleteConfirm';
import { NewNodeDialog } from './dialogs/NewNodeDialog';
import { ScriptDialog } from './dialogs/ScriptDialog';
import { Inspector } from './inspector/Inspector';
import { LessonHighlights } from './lesson/LessonHighlights';
import { LessonPanel } from './lesson/LessonPanel';
import { NetfilterPicture } from './netfilter/NetfilterPicture';
import { PathPanel } from './path/PathPanel';
import { CapturePanel } from './capture/CapturePanel';
import { CommandLog } from './panels/CommandLog';
import { CommandTicker } from './panels/CommandTicker';
import { FailureBanner } from './panels/FailureBanner';
import { Notices } from './panels/Notices';
import { Palette } from './panels/Palette';
import { PresenterBar } from './panels/PresenterBar';
import { PresenterLayer } from './presenter/PresenterLayer';
import { SessionEnded } from './panels/SessionEnded';
import { TopBar } from './panels/TopBar';
import { useNarrow } from './panels/use-panel';
import { useSession } from './store/session';
import { useUi } from './store/ui';
import { TerminalPanel } from './terminal/TerminalPanel';

/**
 * The page: top bar, palette, canvas, inspector, command log. In a narrow window the inspector is
 * a drawer over the canvas; in the presenter view the canvas fills the window, with the drawer, a
 * small bar and a one-line ticker of the last command over it (html.present: index.css's large,
 * dark type).
 */
export function App() {
  const editable = useSession((s) => s.role === 'editor');
  const ready = useSession((s) => s.ready);
  const everConnected = useSession((s) => s.role !== null);
  const connectDraft = useUi((s) => s.connectDraft);
  const newNodeDraft = useUi((s) => s.newNodeDraft);
  const script = useUi((s) => s.script);
  const netfilter = useUi((s) => s.netfilter);
  const present = useUi((s) => s.present);
  const narrow = useNarrow();
  useEffect(() => {
    document.documentElement.classList.toggle('present', present);
  }, [present]);
  return (
    <ReactFlowProvider>
      <div className="flex h-full flex-col bg-slate-50 text-slate-900">
        {!present && <TopBar />}
        <SessionEnded />
        <FailureBanner />
        {/* The canvas keeps 45 % of the window's height (20rem at least, 70 % at most in a tiny
            window, so the docked panels' bars still show): three docked panels under it left it
            90 px at 1440×900 (outside test, session 21). The docked panels share the rest. */}
        <div className="flex min-h-[min(max(20rem,45vh),70vh)] flex-1">
          {editable && ready && !present && <Palette />}
          {everConnected && <LessonPanel />}
          <main className="relative min-w-0 flex-1" aria-label="canvas">
            {everConnected ? <Canvas /> : <Connecting />}
            {everConnected && <CardTextZoom />}
            {everConnected && netfilter !== null && <NetfilterPicture namespace={netfilter} />}
            {everConnected && <PathPanel />}
            {everConnected && <PresenterLayer />}
            {everConnected && (present || narrow) && <Inspector mode="drawer" />}
            {present && <PresenterBar />}
            {present && <CommandTicker />}
          </main>
          {everConnected && !present && !narrow && <Inspector mode="side" />}
        </div>
        <Docked>
          {everConnected && <TerminalPanel />}
          {everConnected && !present && <CapturePanel />}
          {!present && <CommandLog />}
        </Docked>
      </div>
      <Notices />
      <LessonHighlights />
      {connectDraft && editable && <ConnectDialog draft={connectDraft} />}
      {newNodeDraft && editable && <NewNodeDialog draft={newNodeDraft} />}
      {script !== null && <ScriptDialog script={script} />}
      {editable && <DeleteConfirm />}
    </ReactFlowProvider>
  );
}

/**
 * The panels docked under the canvas (terminals, captures, command log), stacked. Each takes the
 * height it asks for while there is room; when the canvas's minimum leaves less, each shrinks in
 * proportion to what it asked, down to its own minimum (its bars and a few lines: the list or
 * terminal scrolls), and folding one gives its room to the others and the canvas.
 */
function Docked({ children }: { children: ReactNode }) {
  return <div className="flex min-h-0 flex-col">{children}</div>;
}

/** Before the first welcome: connecting, or why not. */
function Connecting() {
  const problem = useSession((s) => s.connectionProblem);
  const ended = useSession((s) => s.connection === 'ended');
  return (
    <div className="flex h-full items-center justify-center p-8 text-center text-slate-600">
      <div>
        <p className="text-lg font-semibold">
          {ended ? 'Not connected to the agent' : 'Connecting to the agent…'}
        </p>
        {problem && !ended && <p className="mt-2 max-w-md text-sm">{problem}</p>}
      </div>
    </div>
  );
}
