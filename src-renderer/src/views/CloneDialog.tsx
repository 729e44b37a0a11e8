// Clone a package into a repository: from the open published revision (no
// Git traffic, its files are cached) or from a package in any Git repository
// (a URL, a ref, a directory), as porchctl rpkg clone does.
import { useStore } from '../store.ts';
import { FormDialog, type Field } from './FormDialog.tsx';

export function CloneDialog(props: { onClose: () => void; from?: { name: string; packageName: string; repository: string } }) {
  const repositories = useStore((s) => s.repositories);
  const targets = repositories.map((r) => ({ value: r.metadata.name, label: `${r.metadata.name}${r.spec.deployment ? ' (deployment)' : ''}` }));
  const gitFields: Field[] = props.from
    ? []
    : [
        { name: 'url', label: 'Upstream Git URL', required: true, placeholder: 'https://git.example.com/blueprints.git' },
        { name: 'ref', label: 'Ref (tag or branch)', required: true, placeholder: 'basens/v1 or main', help: 'A tag like <package>/v1 is looked for under the directory first, as kpt does.' },
        { name: 'directory', label: 'Directory of the package', initial: '/', placeholder: '/basens' },
        { name: 'username', label: 'Username (if the repository needs one)' },
        { name: 'password', label: 'Password or token', type: 'password' },
      ];
  const leaf = props.from?.packageName.split('/').pop();
  return (
    <FormDialog
      title={props.from ? `Clone ${props.from.name}` : 'Clone a package from Git'}
      submit="Clone"
      fields={[
        ...gitFields,
        { name: 'repository', label: 'Into repository', type: 'select', options: targets, initial: props.from?.repository ?? targets[0]?.value },
        { name: 'name', label: 'Name of the new package', required: true, initial: leaf ? `${leaf}-copy` : '' },
        { name: 'workspace', label: 'Workspace', initial: 'v1', required: true },
      ]}
      onSubmit={(v) =>
        useStore.getState().clone({
          repository: String(v.repository),
          name: String(v.name),
          workspace: String(v.workspace),
          source: props.from
            ? { kind: 'revision', name: props.from.name }
            : {
                kind: 'git',
                repo: String(v.url),
                ref: String(v.ref),
                directory: String(v.directory || '/'),
                ...(v.username ? { username: String(v.username), password: String(v.password) } : {}),
              },
        })
      }
      onClose={props.onClose}
    />
  );
}
