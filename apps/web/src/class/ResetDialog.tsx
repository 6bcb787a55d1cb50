import { useState } from 'react';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { SelectInput } from '../ui/fields';
import { classActions } from './class-store';

const START = '';

/**
 * The trainer's reset of one student's lab or of all (the overview's Reset and Reset all): back to
 * the class's start (the lesson's first step), or to a checkpoint the labs saved. It is the one
 * question asked before the students' work is undone.
 */
export function ResetDialog({
  students,
  checkpoints,
  onClose,
}: {
  students: string[] | 'all';
  /** The checkpoints to offer: the student's, or every name some student's lab has (Reset all). */
  checkpoints: readonly string[];
  onClose: () => void;
}) {
  const [to, setTo] = useState(START);
  const whose = students === 'all' ? "every student's lab" : `${students.join(', ')}'s lab`;
  return (
    <Dialog title={`Reset ${whose}?`} onClose={onClose}>
      <SelectInput label="Back to" error={undefined} value={to} onChange={setTo}>
        <option value={START}>the class&apos;s start</option>
        {checkpoints.map((name) => (
          <option key={name} value={name}>
            checkpoint {name}
          </option>
        ))}
      </SelectInput>
      <p className="mt-3 text-sm text-slate-600">
        The work done since is lost, in the kernel too.
        {students === 'all' && checkpoints.length > 0
          ? ' A lab that has not saved the checkpoint is left as it is, and its card says so.'
          : ''}
      </p>
      <div className="mt-4 flex justify-end gap-2">
        <Button onClick={onClose}>Cancel</Button>
        <Button
          tone="danger"
          onClick={() => {
            classActions.reset(students, to === START ? { start: true } : { checkpoint: to });
            onClose();
          }}
        >
          Reset
        </Button>
      </div>
    </Dialog>
  );
}
