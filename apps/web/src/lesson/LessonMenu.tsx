import { useState } from 'react';
import { ReplaceDialog } from '../panels/ReplaceDialog';
import { useSession } from '../store/session';
import { MenuButton, MenuItem, MenuList } from '../ui/Menu';
import { BUILT_IN_LESSONS, type BuiltInLesson } from './built-in-lessons';
import { lessonActions, useLesson } from './lesson-store';

/**
 * Editors pick a built-in lesson here (the top bar's "Lessons ▾"). Its first step's start
 * replaces the lab, so a lab that holds anything asks first, as opening an example does.
 */
export function LessonMenu() {
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState<BuiltInLesson | null>(null);
  const current = useLesson((s) => s.lesson?.id ?? null);

  const choose = (lesson: BuiltInLesson) => {
    setOpen(false);
    const doc = useSession.getState().document;
    if (doc.namespaces.length + doc.bridges.length === 0) lessonActions.load(lesson.id);
    else setConfirming(lesson);
  };

  return (
    <div className="relative">
      <MenuButton label="lessons" open={open} onToggle={() => setOpen((o) => !o)}>
        Lessons ▾
      </MenuButton>
      {open && (
        <MenuList label="lessons" onClose={() => setOpen(false)}>
          {BUILT_IN_LESSONS.map((lesson) => (
            <MenuItem
              key={lesson.id}
              label={`start lesson ${lesson.title}`}
              title={`${lesson.title}${lesson.id === current ? ' (open)' : ''}`}
              description={`${lesson.steps} steps. ${lesson.summary}`}
              onClick={() => choose(lesson)}
            />
          ))}
        </MenuList>
      )}
      {confirming && (
        <ReplaceDialog
          what={`the lesson “${confirming.title}”`}
          onConfirm={() => {
            lessonActions.load(confirming.id);
            setConfirming(null);
          }}
          onClose={() => setConfirming(null)}
        />
      )}
    </div>
  );
}
