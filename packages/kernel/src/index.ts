export { type IoMode } from './io';
export {
  Lab,
  LabNotFoundError,
  adoptSteps,
  foreignObjects,
  removeHandRuleSteps,
  type DestroyReport,
  type LabSelector,
} from './lab';
export { plan } from './plan';
export { type HandRule, type HandRuleReplacement } from './hand-rules';
export { applySteps, batchLine, waves } from './apply';
export { Observer, resolvePeers } from './observe';
export { parseFdb, parseLinks, parseNetnsList, splitJsonLines } from './parse';
export * as commands from './commands';
export { OWNED_GROUP } from './commands';
export { listSandboxes, findSandbox, type SandboxRecord } from './sandbox';
export { agentLockFile, runDir } from './paths';
export { processStartTime } from './procfs';
export { HOST_LAB, type Target } from './target';
export { runStreaming } from './process';
export { run, runInteractive, type InteractiveOptions, type RunResult } from './process';
export { writeFileAtomic } from './atomic-file';
export { listLabs, type LabSummary } from './labs';
export { watchLab, type LabWatcher, type WatchEvent } from './watch';
export { IpSession } from './session';
