import { brctlText, type ApplyReport, type CommandRecord, type Step } from '@netcanvas/model';
import type { ApplyOutcome } from '@netcanvas/model';

/** Command log records from an apply report: what ran (with its exit code and stderr), in order. */
export function toRecords(report: ApplyReport, by: string, at = new Date()): CommandRecord[] {
  const when = at.toISOString();
  const record = (step: Step, exitCode: number, stderr: string, durationMs: number): CommandRecord => ({
    at: when,
    by,
    context: step.context,
    argv: step.argv,
    ...withBrctl(step),
    reason: step.reason,
    exitCode,
    stderr,
    durationMs: Math.round(durationMs * 1000) / 1000,
  });
  const out = report.done.map((o) => record(o.step, o.exitCode, o.stderr, o.durationMs));
  if (report.failed)
    out.push(
      record(report.failed.step, report.failed.exitCode, report.failed.stderr, report.failed.durationMs),
    );
  return out;
}

export function toOutcome(report: ApplyReport | null, records: CommandRecord[]): ApplyOutcome {
  return {
    ok: report?.ok ?? true,
    commands: records,
    notRun: (report?.notRun ?? []).map((s) => ({ context: s.context, argv: s.argv, reason: s.reason })),
  };
}

/** A bridge step's brctl form, when it has one (brctl ≡ ip: the log shows both). */
function withBrctl(step: Step): { brctl?: string } {
  const brctl = brctlText(step);
  return brctl === null ? {} : { brctl };
}
