// Fails CI when a required suite was skipped or ran nothing: the PostgreSQL
// half of the database tests, and the Porch conformance suites. Prints the
// plain closing line CI reads.
import fs from 'node:fs';

const report = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const tests = report.testResults.flatMap((file) => file.assertionResults.map((t) => ({ file: file.name, name: t.fullName, status: t.status })));
const required = [
  { what: 'database tests on PostgreSQL', match: (t) => t.file.includes('/test/db/') && /postgres/.test(t.name) },
  { what: 'sync tests on PostgreSQL', match: (t) => t.file.includes('/test/cache/') && /postgres/.test(t.name) },
  { what: 'Porch listing conformance on PGlite', match: (t) => t.file.endsWith('listings.test.ts') && /pglite/.test(t.name) },
  { what: 'Porch listing conformance on PostgreSQL', match: (t) => t.file.endsWith('listings.test.ts') && /postgres/.test(t.name) },
  { what: 'porchctl e2e scripts on PGlite', match: (t) => t.file.endsWith('cli-e2e.test.ts') && /pglite/.test(t.name) },
  { what: 'porchctl e2e scripts on PostgreSQL', match: (t) => t.file.endsWith('cli-e2e.test.ts') && /postgres/.test(t.name) },
  { what: 'approval to Git on PGlite', match: (t) => t.file.endsWith('approval.test.ts') && /pglite/.test(t.name) },
  { what: 'approval to Git on PostgreSQL', match: (t) => t.file.endsWith('approval.test.ts') && /postgres/.test(t.name) },
  { what: 'browser mode in Chromium', match: (t) => t.file.endsWith('browser-mode.test.ts') },
  { what: 'offline drafts on PostgreSQL', match: (t) => t.file.endsWith('offline-drafts.test.ts') && /postgres/.test(t.name) },
  { what: 'npm start in browser mode', match: (t) => t.file.endsWith('npm-start.test.ts') },
  { what: "PGlite's own autovacuum", match: (t) => t.file.endsWith('pglite-upkeep.test.ts') },
  { what: 'PostgreSQL restarted under the app', match: (t) => t.file.endsWith('pg-restart.test.ts') },
  { what: 'disk full while saving', match: (t) => t.file.endsWith('disk-full.test.ts') },
  { what: 'a hostile Git repository', match: (t) => t.file.endsWith('hostile-repository.test.ts') },
  { what: 'atomic Git object writes', match: (t) => t.file.endsWith('atomic-fs.test.ts') },
  // Local repositories and the demo (issue 8).
  {
    what: 'Porch listing conformance, registered by path, on PGlite',
    match: (t) => t.file.endsWith('listings.test.ts') && /pglite.*registered by 'path'/.test(t.name),
  },
  {
    what: 'Porch listing conformance, registered by path, on PostgreSQL',
    match: (t) => t.file.endsWith('listings.test.ts') && /postgres.*registered by 'path'/.test(t.name),
  },
  { what: "Git's ref locking for local repositories", match: (t) => t.file.endsWith('local-repository.test.ts') && t.name.startsWith('updateLocalRefs') },
  { what: 'native git commits while publishing 50 revisions', match: (t) => t.file.endsWith('local-concurrency.test.ts') },
  { what: 'the demo walkthrough in Chromium', match: (t) => t.file.endsWith('demo-walkthrough.test.ts') },
  { what: 'porchlight demo and repo register by path', match: (t) => t.file.endsWith('demo-and-local.test.ts') },
  { what: 'the credentials key in the OS keyring', match: (t) => t.file.endsWith('credential-key.test.ts') && t.name.includes('OS keyring') },
  { what: 'two processes on one PostgreSQL', match: (t) => t.file.endsWith('two-processes.test.ts') && /postgres/.test(t.name) },
  // Hostile packages and bad requests (issue 15).
  { what: 'browser mode under a seeded fuzz', match: (t) => t.file.endsWith('browser-fuzz.test.ts') && t.name.includes('survives a seeded fuzz') },
  { what: "the Electron window's hardening", match: (t) => t.file.endsWith('/test/electron/hardening.test.ts') },
  { what: 'the Electron main process wired up', match: (t) => t.file.endsWith('/test/electron/main.test.ts') },
  { what: 'the one package-path check against git fsck', match: (t) => t.file.endsWith('/test/shared/package-files.test.ts') },
  { what: 'ref names as git check-ref-format', match: (t) => t.file.endsWith('/test/git/ref-names.test.ts') },
  { what: 'hostile ref names from a server', match: (t) => t.file.endsWith('/test/git/remote-refs.test.ts') },
  { what: 'pull and push refuse .git paths', match: (t) => t.file.endsWith('/test/cli/rpkg-draft.test.ts') },
  { what: 'passwords from stdin and the environment', match: (t) => t.file.endsWith('/test/cli/repo-password.test.ts') },
  { what: 'safe.directory for local repositories', match: (t) => t.file.endsWith('local-repository.test.ts') && /safe\.directory/.test(t.name) },
  // One service behind every door (issue 16).
  { what: 'the local socket, fuzzed and carrying the real service', match: (t) => t.file.endsWith('/test/host/socket-server.test.ts') },
  // The Kubernetes API door (issue 18): the real kubectl, and a seeded fuzz.
  { what: 'the Kubernetes door under a seeded fuzz', match: (t) => t.file.endsWith('/test/host/kube/kube-fuzz.test.ts') },
  { what: 'the Kubernetes door over HTTPS', match: (t) => t.file.endsWith('/test/host/kube/server.test.ts') },
  { what: 'porchlight kubeconfig with the real kubectl', match: (t) => t.file.endsWith('/test/host/kube/kubeconfig-command.test.ts') },
];
// The cache at scale: each on both engines.
for (const [file, what] of [
  ['partition-plans.test.ts', 'one partition per hot query'],
  ['eviction.test.ts', 'cleanup policies'],
  ['cleanup-worker.test.ts', 'the cleanup worker'],
  ['catalogs.test.ts', 'catalogs'],
  // Nothing lost (issue 7): each on both engines.
  ['kill-9.test.ts', 'kill -9 of drafts and approvals'],
  ['kill-migration.test.ts', 'kill -9 during a migration'],
  ['backup.test.ts', 'db backup and restore'],
  ['hostile-input.test.ts', 'the hostile-input corpus'],
  ['secrets.test.ts', 'the Git password kept out of logs, dumps and files'],
  ['local-repository.test.ts', 'repositories registered by path'],
  ['kill-sync-cleanup.test.ts', 'kill -9 during sync and cleanup'],
  ['background-migrations.test.ts', 'background migrations (batched, resumable)'],
  ['git-slow.test.ts', 'a Git host that holds responses or answers errors'],
  ['/test/service/lifecycle.test.ts', 'every door refuses a broken draft'],
  ['credential-binding.test.ts', 'secrets bound to their address'],
  ['private-files.test.ts', 'a private data home'],
  ['hostile-repository.test.ts', 'a package that plants .git'],
  ['test-postgres.test.ts', 'the database test refusing unpicked files'],
  ['/test/cli/service-client.test.ts', "the README's walkthrough beside a running service, and the service killed mid-command"],
  ['/test/cli/in-process-client.test.ts', 'the CLI in process without background workers'],
  ['/test/host/kube/kubectl.test.ts', 'kubectl against the door'],
]) {
  for (const engine of ['pglite', 'postgres']) {
    required.push({ what: `${what} on ${engine}`, match: (t) => t.file.endsWith(file) && t.name.includes(engine) });
  }
}
// Every write-side porchctl script must pass on both engines, in process and
// through a running service, not just some.
for (const script of ['rpkg-init', 'rpkg-lifecycle', 'rpkg-clone', 'rpkg-upgrade', 'rpkg-push']) {
  for (const engine of ['pglite', 'postgres']) {
    for (const way of ['in process', 'through a running service']) {
      required.push({
        what: `porchctl ${script} ${way} on ${engine}`,
        match: (t) => t.file.endsWith('cli-e2e.test.ts') && t.name.includes(`'${way}' on '${engine}'`) && t.name.endsWith(` ${script}`),
      });
    }
  }
}
let ok = true;
for (const r of required) {
  const mine = tests.filter(r.match);
  const passed = mine.filter((t) => t.status === 'passed').length;
  // Engine-specific tests are skipped on the other engine by design; a suite
  // that did not run at all has no passed test.
  if (passed === 0) {
    console.error(`ci: required suite "${r.what}" did not run (0 passed of ${mine.length})`);
    ok = false;
  } else {
    console.log(`ci: ${r.what}: ${passed} passed`);
  }
}
const passed = tests.filter((t) => t.status === 'passed').length;
const failed = tests.filter((t) => t.status === 'failed').length;
const skipped = tests.length - passed - failed;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(ok && failed === 0 ? 0 : 1);
