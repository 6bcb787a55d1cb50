import { useSession } from '../store/session';

export function RoleBadge() {
  const role = useSession((s) => s.role);
  if (role === null) return null;
  return role === 'viewer' ? (
    <span
      aria-label="role: viewing"
      title="A viewer sees everything live and can change nothing"
      className="rounded-full bg-violet-100 px-2.5 py-1 text-sm font-semibold text-violet-800"
    >
      viewing
    </span>
  ) : (
    <span
      aria-label="role: editor"
      className="rounded-full bg-sky-100 px-2.5 py-1 text-sm font-semibold text-sky-800"
    >
      editor
    </span>
  );
}
