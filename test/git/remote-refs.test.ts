// A server's ref advertisement is input too: a name Git would refuse (one that
// climbs out of a git directory) is left out of the listing and reported once.
// Git's own servers never advertise such names, so this server is a fake.
import type { HttpClient } from 'isomorphic-git';
import { describe, expect, it } from 'vitest';
import { listRemoteRefs } from '../../src-main/git/remote-refs.ts';

const OID = 'a'.repeat(40);

function pkt(line: string): string {
  return (line.length + 4).toString(16).padStart(4, '0') + line;
}

/** info/refs as a protocol v1 server answers, advertising `refs`. */
function advertising(refs: string[]): HttpClient {
  const lines = refs.map((r, i) => pkt(`${OID} ${r}${i === 0 ? '\0report-status side-band-64k' : ''}\n`));
  const body = `${pkt('# service=git-upload-pack\n')}0000${lines.join('')}0000`;
  return {
    request: async ({ url }) => ({
      url,
      method: 'GET',
      statusCode: 200,
      statusMessage: 'OK',
      headers: { 'content-type': 'application/x-git-upload-pack-advertisement' },
      body: (async function* () {
        yield Buffer.from(body);
      })(),
    }),
  };
}

describe('listRemoteRefs', () => {
  it('leaves out advertised refs whose names Git would refuse, and reports them once', async () => {
    const heard: string[][] = [];
    const http = advertising(['refs/heads/main', 'refs/tags/../../../outside/pkg/v1', 'refs/tags/pkg/v1', 'refs/tags/.git/v1', 'refs/heads/x.lock']);
    const refs = await listRemoteRefs(http, 'https://git.example.com/hostile.git', undefined, (names) => heard.push(names));
    expect(refs.map((r) => r.ref)).toEqual(['refs/heads/main', 'refs/tags/pkg/v1']);
    expect(heard).toEqual([['refs/tags/../../../outside/pkg/v1', 'refs/tags/.git/v1', 'refs/heads/x.lock']]);
  });
});
