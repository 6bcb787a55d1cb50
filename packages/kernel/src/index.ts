/**
 * The kernel's front: a `Lab` and what it reports. Everything that runs a command runs inside,
 * built from typed steps and builders; parsers, sessions and process helpers stay internal, and
 * eslint keeps the apps from importing them (eslint.config.js). Tests and benches have
 * `@netcanvas/kernel/testing` besides (testing.ts).
 */
export {
  Lab,
  LabNotFoundError,
  ScrubRefused,
  adoptSteps,
  removeHandRuleSteps,
  type DestroyReport,
  type LabSelector,
  type ScrubReport,
} from './lab';
export { LabInputError, type HandSession } from './lab-tools';
export { type PingOptions, type PingRun } from './ping';
export { type CaptureOptions, type CaptureRun, type CaptureStopReason } from './capture';
export { type TerminalExit, type TerminalHandle, type TerminalOptions } from './terminal';
export { type RunResult } from './process';
export { type IoMode } from './io';
export { plan, type PlanOptions } from './plan';
export { type HandRule, type HandRuleReplacement } from './hand-rules';
export { listLabs, type LabSummary } from './labs';
export { listSandboxes, findSandbox, type SandboxRecord } from './sandbox';
export { HOST_LAB, type Target } from './target';
// The agent's lock (its file, and the start time that tells a live holder from a reused pid) and
// its documents' atomic writes: files, not commands.
export { agentLockFile } from './paths';
export { processStartTime } from './procfs';
export { stageFileAtomic, writeFileAtomic, type StagedFile } from './atomic-file';
// An edit's phases timed into the file NETCANVAS_TRACE names (off by default): trace.ts.
export { traceSpan, traced } from './trace';
// The lab kept current (Lab.live): its handle and what it tells its listener.
export { type LiveState, type LiveStateListener } from './live/live-state';
