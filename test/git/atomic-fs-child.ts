// Writes one big file through gitFs (or plain fs with 'plain') and is killed
// in the middle by atomic-fs.test.ts: `kill-child <atomic|plain> <file> <MB>`.
import fs from 'node:fs';
import { gitFs } from '../../src-main/git/atomic-fs.ts';

const [how, file, mb] = process.argv.slice(2);
const data = Buffer.alloc(Number(mb) * 1024 * 1024, 0x61);
fs.writeSync(1, 'writing\n');
await (how === 'plain' ? fs.promises.writeFile(file!, data) : gitFs.promises.writeFile(file!, data));
fs.writeSync(1, 'written\n');
