// Clone a package into a repository: from the open published revision (no
// Git traffic, its files are cached) or from a package in any Git repository
// (a URL, a ref, a directory), as porchctl rpkg clone does, or a package path
// resolved in a catalog (the first of its repositories that has it).
import { useEffect, useState } from 'react';
import { call } from '../api.ts';
import { useStore } from '../store.ts';
import { FormDialog, type Field, type Values } from './FormDialog.tsx';

export function CloneDialog(props: { onClose: () => void; from?: { name: string; packageName: string; repository: string } }) {
  const repositories = useStore((s) => s.repositories);
  const namespace = useStore((s) => s.namespace);
  const targets = repositories.map((r) => ({ value: r.metadata.name, label: `${r.metadata.name}${r.spec.deployment ? ' (deployment)' : ''}` }));
  const [catalogs, setCatalogs] = useState<string[]>([]);
  useEffect(() => {
    if (!props.from)
      void call('catalogs.list', { namespace }).then(
        (c) => setCatalogs(c.map((x) => x.metadata.name)),
        () => {},
      );
  }, [props.from, namespace]);
  const git = (v: Values) => v.source !== 'catalog';
  const fromCatalog = (v: Values) => v.source === 'catalog';
  const sourceFields: Field[] = props.from
    ? []
    : [
        {
          name: 'source',
          label: 'From',
          type: 'select',
          options: [{ value: 'git', label: 'a Git repository' }, ...(catalogs.length ? [{ value: 'catalog', label: 'a catalog' }] : [])],
        },
        { name: 'catalog', label: 'Catalog', type: 'select', options: catalogs.map((c) => ({ value: c, label: c })), when: fromCatalog },
        {
          name: 'packagePath',
          label: 'Package path',
          placeholder: 'basens or team/web',
          when: fromCatalog,
          help: 'Comes from the first repository of the catalog that has it published.',
        },
        { name: 'catalogRevision', label: 'Revision (empty: the latest)', type: 'number', when: fromCatalog },
        { name: 'url', label: 'Upstream Git URL', placeholder: 'https://git.example.com/blueprints.git', when: git },
        {
          name: 'ref',
          label: 'Ref (tag or branch)',
          placeholder: 'basens/v1 or main',
          help: 'A tag like <package>/v1 is looked for under the directory first, as kpt does.',
          when: git,
        },
        { name: 'directory', label: 'Directory of the package', initial: '/', placeholder: '/basens', when: git },
        { name: 'username', label: 'Username (if the repository needs one)', when: git },
        { name: 'password', label: 'Password or token', type: 'password', when: git },
      ];
  const leaf = props.from?.packageName.split('/').pop();
  return (
    <FormDialog
      title={props.from ? `Clone ${props.from.name}` : 'Clone a package from Git'}
      submit="Clone"
      fields={[
        ...sourceFields,
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
            : v.source === 'catalog'
              ? {
                  kind: 'catalog',
                  catalog: String(v.catalog || catalogs[0]),
                  packagePath: String(v.packagePath),
                  ...(v.catalogRevision ? { revision: Number(v.catalogRevision) } : {}),
                }
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
