// Package files as they cross a door: contents as base64 (WireFile).
import type { WireFile } from '../../src-shared/contract.ts';

export const toWire = (f: { path: string; content: Uint8Array }): WireFile => ({ path: f.path, base64: Buffer.from(f.content).toString('base64') });
export const fromWire = (f: WireFile): { path: string; content: Uint8Array } => ({ path: f.path, content: new Uint8Array(Buffer.from(f.base64, 'base64')) });
