// The event stream between the go-yaml-style encoder (nodes to events) and the
// emitter (events to text), as go-yaml v3 defines it.

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

interface Comments {
  head?: string;
  line?: string;
  foot?: string;
  tail?: string;
}

export type EmitEvent =
  | { type: 'docStart'; implicit: boolean; head?: string }
  | { type: 'docEnd'; foot?: string }
  | ({ type: 'mapStart' | 'seqStart'; anchor?: string; tag?: string; flow: boolean } & Comments)
  | ({ type: 'mapEnd' | 'seqEnd' } & Comments)
  | ({ type: 'scalar'; anchor?: string; tag?: string; value: string; style: ScalarStyle } & Comments)
  | ({ type: 'alias'; anchor: string } & Comments)
  | { type: 'streamEnd' };
