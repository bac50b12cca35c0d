import { useLocation } from 'wouter';
import { useApi } from '../api';
import { notify } from '../notices/notices';
import { NameDialog } from './NameDialog';

/** "New project", opened by the `project.new` command from anywhere; opens the project once created. */
export function NewProjectDialog({ open, onOpenChange }: { open: boolean; onOpenChange(open: boolean): void }) {
  const api = useApi();
  const [, navigate] = useLocation();
  return (
    <NameDialog
      open={open}
      onOpenChange={onOpenChange}
      title="New project"
      label="Project name"
      description="Lowercase a-z, 0-9, dots, dashes and underscores: the name becomes part of addresses like @name/set."
      submitLabel="Create project"
      onSubmit={async (name) => {
        const project = await api.invoke('projects:create', { name });
        notify({ kind: 'ok', title: 'Project created', message: project.name });
        navigate(`/projects/${project.id}`);
      }}
    />
  );
}
