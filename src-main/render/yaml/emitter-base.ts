// The event-analysis half of go-yaml's emitter: the registers an event sets
// (comments, anchor, tag, scalar analysis), indentation, the scalar style
// choice and comment output. emitter.ts drives it with the state machine.
import type { EmitEvent, ScalarStyle } from './emit-event.ts';
import { analyzeScalar, writeDoubleQuoted, writeFolded, writeLiteral, writePlain, writeSingleQuoted, type ScalarAnalysis } from './emitter-scalar.ts';
import { EmitterWriter } from './emitter-writer.ts';

export type State =
  | 'firstDocStart'
  | 'docStart'
  | 'docContent'
  | 'docEnd'
  | 'flowSeqFirst'
  | 'flowSeqTrail'
  | 'flowSeqItem'
  | 'flowMapFirstKey'
  | 'flowMapTrailKey'
  | 'flowMapKey'
  | 'flowMapSimpleValue'
  | 'flowMapValue'
  | 'blockSeqFirst'
  | 'blockSeqItem'
  | 'blockMapFirstKey'
  | 'blockMapKey'
  | 'blockMapSimpleValue'
  | 'blockMapValue'
  | 'end';

const TAG_DIRECTIVES: [string, string][] = [
  ['!', '!'],
  ['!!', 'tag:yaml.org,2002:'],
];
const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

export class EmitterBase {
  protected readonly w = new EmitterWriter();
  protected states: State[] = [];
  protected state: State = 'firstDocStart';
  protected indents: number[] = [];
  protected flowLevel = 0;
  protected rootContext = false;
  protected mappingContext = false;
  protected simpleKeyContext = false;
  protected head = '';
  protected line = '';
  protected foot = '';
  protected tail = '';
  protected keyLine = '';
  protected anchor: { name: string; alias: boolean } | undefined;
  protected tagHandle = '';
  protected tagSuffix = '';
  protected scalar: { value: string; analysis: ScalarAnalysis; style: ScalarStyle } | undefined;
  protected events: EmitEvent[] = [];
  protected pos = 0;
  protected analyze(ev: EmitEvent): void {
    this.anchor = undefined;
    this.tagHandle = '';
    this.tagSuffix = '';
    this.scalar = undefined;
    if ('head' in ev && ev.head) this.head = ev.head;
    if ('line' in ev && ev.line) this.line = ev.line;
    if ('foot' in ev && ev.foot) this.foot = ev.foot;
    if ('tail' in ev && ev.tail) this.tail = ev.tail;
    if (ev.type === 'alias') this.anchor = { name: ev.anchor, alias: true };
    if (ev.type === 'scalar' || ev.type === 'mapStart' || ev.type === 'seqStart') {
      if (ev.anchor) this.anchor = { name: ev.anchor, alias: false };
      if (ev.tag) this.analyzeTag(ev.tag);
    }
    if (ev.type === 'scalar') this.scalar = { value: ev.value, analysis: analyzeScalar(ev.value), style: ev.style };
  }

  protected analyzeTag(tag: string): void {
    for (const [handle, prefix] of TAG_DIRECTIVES) {
      if (tag.startsWith(prefix)) {
        this.tagHandle = handle;
        this.tagSuffix = tag.slice(prefix.length);
        return;
      }
    }
    this.tagSuffix = tag;
  }

  protected pop(): State {
    return this.states.pop()!;
  }

  protected increaseIndent(flow: boolean, compactSeq: boolean): void {
    const w = this.w;
    this.indents.push(w.indent);
    if (w.indent < 0) {
      w.indent = flow ? w.bestIndent : 0;
    } else {
      if (this.states[this.states.length - 1] === 'blockSeqItem') w.indent += 2;
      else w.indent = w.bestIndent * Math.floor((w.indent + w.bestIndent) / w.bestIndent);
      if (compactSeq) w.indent -= 2;
    }
  }

  protected checkEmpty(end: 'seqEnd' | 'mapEnd'): boolean {
    return this.events[this.pos + 1]?.type === end;
  }

  protected checkSimpleKey(): boolean {
    const ev = this.events[this.pos]!;
    let length = this.anchor ? utf8Length(this.anchor.name) : 0;
    length += utf8Length(this.tagHandle) + utf8Length(this.tagSuffix);
    switch (ev.type) {
      case 'alias':
        length = this.anchor ? utf8Length(this.anchor.name) : 0;
        break;
      case 'scalar':
        if (this.scalar!.analysis.multiline) return false;
        length += utf8Length(this.scalar!.value);
        break;
      case 'seqStart':
        if (!this.checkEmpty('seqEnd')) return false;
        break;
      case 'mapStart':
        if (!this.checkEmpty('mapEnd')) return false;
        break;
      default:
        return false;
    }
    return length <= 128;
  }

  protected emitScalar(ev: Extract<EmitEvent, { type: 'scalar' }>): void {
    const w = this.w;
    this.selectScalarStyle(ev);
    this.processAnchor();
    this.processTag();
    this.increaseIndent(true, false);
    const { value, style } = this.scalar!;
    switch (style) {
      case 'plain':
        writePlain(w, value, this.rootContext);
        break;
      case 'single':
        writeSingleQuoted(w, value);
        break;
      case 'double':
        writeDoubleQuoted(w, value);
        break;
      case 'literal':
        writeLiteral(w, value, () => this.processLineComment(true));
        break;
      case 'folded':
        writeFolded(w, value, () => this.processLineComment(true));
        break;
    }
    w.indent = this.indents.pop()!;
    this.state = this.pop();
  }

  protected selectScalarStyle(ev: Extract<EmitEvent, { type: 'scalar' }>): void {
    const s = this.scalar!;
    const a = s.analysis;
    let style = ev.style;
    if (this.simpleKeyContext && a.multiline) style = 'double';
    if (style === 'plain') {
      if ((this.flowLevel > 0 && !a.flowPlainAllowed) || (this.flowLevel === 0 && !a.blockPlainAllowed)) style = 'single';
      if (s.value.length === 0 && (this.flowLevel > 0 || this.simpleKeyContext)) style = 'single';
    }
    if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
    if ((style === 'literal' || style === 'folded') && (!a.blockAllowed || this.flowLevel > 0 || this.simpleKeyContext)) style = 'double';
    s.style = style;
  }

  protected processAnchor(): void {
    if (!this.anchor) return;
    this.w.writeIndicator(this.anchor.alias ? '*' : '&', true, false, false);
    this.w.writeAnchor(this.anchor.name);
  }

  protected processTag(): void {
    const w = this.w;
    if (!this.tagHandle && !this.tagSuffix) return;
    if (this.tagHandle) {
      w.writeTagHandle(this.tagHandle);
      if (this.tagSuffix) w.writeTagContent(this.tagSuffix, false);
    } else {
      w.writeIndicator('!<', true, false, false);
      w.writeTagContent(this.tagSuffix, false);
      w.writeIndicator('>', false, false, false);
    }
  }

  protected processHeadComment(): void {
    const w = this.w;
    if (this.tail) {
      w.writeIndent();
      w.writeComment(this.tail);
      this.tail = '';
      w.footIndent = Math.max(w.indent, 0);
    }
    if (!this.head) return;
    w.writeIndent();
    w.writeComment(this.head);
    this.head = '';
  }

  protected processLineComment(linebreak: boolean): void {
    const w = this.w;
    if (!this.line) {
      if (linebreak) w.putBreak();
      return;
    }
    if (!w.whitespace) w.put(' ');
    w.writeComment(this.line);
    this.line = '';
  }

  protected processFootComment(): void {
    const w = this.w;
    if (!this.foot) return;
    w.writeIndent();
    w.writeComment(this.foot);
    this.foot = '';
    w.footIndent = Math.max(w.indent, 0);
  }
}
