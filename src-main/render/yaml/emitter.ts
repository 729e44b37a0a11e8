// go-yaml v3's emitter state machine (as forked by kyaml, with its compact
// sequence indent), driven by a precomputed event list. Comment registers are
// set when an event is analysed and consumed wherever go-yaml consumes them,
// which is what places comments exactly where kpt writes them.
import type { EmitEvent } from './emit-event.ts';
import { EmitterBase } from './emitter-base.ts';

export class Emitter extends EmitterBase {
  /** kyaml's compact sequence style: `- ` is part of the indentation of a sequence under a key. */
  compactSeq = true;

  /** Emits one document's events (a whole go-yaml Encode call). */
  emit(events: EmitEvent[]): void {
    this.events = events;
    for (this.pos = 0; this.pos < events.length; this.pos++) {
      const ev = events[this.pos]!;
      this.analyze(ev);
      this.step(ev);
    }
  }

  text(): string {
    return this.w.out;
  }

  private step(ev: EmitEvent): void {
    switch (this.state) {
      case 'firstDocStart':
        return this.documentStart(ev, true);
      case 'docStart':
        return this.documentStart(ev, false);
      case 'docContent':
        return this.documentContent(ev);
      case 'docEnd':
        return this.documentEnd();
      case 'flowSeqFirst':
        return this.flowSequenceItem(ev, true, false);
      case 'flowSeqTrail':
        return this.flowSequenceItem(ev, false, true);
      case 'flowSeqItem':
        return this.flowSequenceItem(ev, false, false);
      case 'flowMapFirstKey':
        return this.flowMappingKey(ev, true, false);
      case 'flowMapTrailKey':
        return this.flowMappingKey(ev, false, true);
      case 'flowMapKey':
        return this.flowMappingKey(ev, false, false);
      case 'flowMapSimpleValue':
        return this.flowMappingValue(ev, true);
      case 'flowMapValue':
        return this.flowMappingValue(ev, false);
      case 'blockSeqFirst':
        return this.blockSequenceItem(ev, true);
      case 'blockSeqItem':
        return this.blockSequenceItem(ev, false);
      case 'blockMapFirstKey':
        return this.blockMappingKey(ev, true);
      case 'blockMapKey':
        return this.blockMappingKey(ev, false);
      case 'blockMapSimpleValue':
        return this.blockMappingValue(ev, true);
      case 'blockMapValue':
        return this.blockMappingValue(ev, false);
      case 'end':
        throw new Error('YAML emitter: expected nothing after the end of the stream');
    }
  }

  private documentStart(ev: EmitEvent, first: boolean): void {
    const w = this.w;
    if (ev.type === 'docStart') {
      const implicit = ev.implicit && first;
      if (!implicit) {
        w.writeIndent();
        w.writeIndicator('---', true, false, false);
        w.writeIndent();
      }
      if (this.head) {
        this.processHeadComment();
        w.putBreak();
      }
      this.state = 'docContent';
      return;
    }
    if (ev.type === 'streamEnd') {
      // go-yaml's encoder clears open_ended before the stream end, so no `...` is written.
      this.state = 'end';
      return;
    }
    throw new Error('YAML emitter: expected a document start or the end of the stream');
  }

  private documentContent(ev: EmitEvent): void {
    this.states.push('docEnd');
    this.processHeadComment();
    this.emitNode(ev, true, false, false);
    this.processLineComment(false);
    this.processFootComment();
  }

  private documentEnd(): void {
    const w = this.w;
    w.footIndent = 0;
    this.processFootComment();
    w.footIndent = -1;
    w.writeIndent();
    this.state = 'docStart';
  }

  private pendingAfterItem(): boolean {
    return this.line.length + this.foot.length + this.tail.length > 0;
  }

  private flowSequenceItem(ev: EmitEvent, first: boolean, trail: boolean): void {
    const w = this.w;
    if (first) {
      w.writeIndicator('[', true, true, false);
      this.increaseIndent(true, false);
      this.flowLevel++;
    }
    if (ev.type === 'seqEnd') {
      this.flowLevel--;
      w.indent = this.indents.pop()!;
      if (w.column === 0) w.writeIndent();
      w.writeIndicator(']', false, false, false);
      this.processLineComment(false);
      this.processFootComment();
      this.state = this.pop();
      return;
    }
    if (!first && !trail) w.writeIndicator(',', false, false, false);
    this.processHeadComment();
    if (w.column === 0) w.writeIndent();
    this.states.push(this.pendingAfterItem() ? 'flowSeqTrail' : 'flowSeqItem');
    this.emitNode(ev, false, false, false);
    if (this.pendingAfterItem()) w.writeIndicator(',', false, false, false);
    this.processLineComment(false);
    this.processFootComment();
  }

  private flowMappingKey(ev: EmitEvent, first: boolean, trail: boolean): void {
    const w = this.w;
    if (first) {
      w.writeIndicator('{', true, true, false);
      this.increaseIndent(true, false);
      this.flowLevel++;
    }
    if (ev.type === 'mapEnd') {
      if (this.head.length + this.foot.length + this.tail.length > 0 && !first && !trail) w.writeIndicator(',', false, false, false);
      this.processHeadComment();
      this.flowLevel--;
      w.indent = this.indents.pop()!;
      w.writeIndicator('}', false, false, false);
      this.processLineComment(false);
      this.processFootComment();
      this.state = this.pop();
      return;
    }
    if (!first && !trail) w.writeIndicator(',', false, false, false);
    this.processHeadComment();
    if (w.column === 0) w.writeIndent();
    if (this.checkSimpleKey()) {
      this.states.push('flowMapSimpleValue');
      this.emitNode(ev, false, true, true);
      return;
    }
    w.writeIndicator('?', true, false, false);
    this.states.push('flowMapValue');
    this.emitNode(ev, false, true, false);
  }

  private flowMappingValue(ev: EmitEvent, simple: boolean): void {
    const w = this.w;
    w.writeIndicator(':', !simple, false, false);
    this.states.push(this.pendingAfterItem() ? 'flowMapTrailKey' : 'flowMapKey');
    this.emitNode(ev, false, true, false);
    if (this.pendingAfterItem()) w.writeIndicator(',', false, false, false);
    this.processLineComment(false);
    this.processFootComment();
  }

  private blockSequenceItem(ev: EmitEvent, first: boolean): void {
    const w = this.w;
    if (first) this.increaseIndent(false, this.mappingContext && (w.column === 0 || !w.indention) && this.compactSeq);
    if (ev.type === 'seqEnd') {
      w.indent = this.indents.pop()!;
      this.state = this.pop();
      return;
    }
    this.processHeadComment();
    w.writeIndent();
    w.writeIndicator('-', true, false, true);
    this.states.push('blockSeqItem');
    this.emitNode(ev, false, false, false);
    this.processLineComment(false);
    this.processFootComment();
  }

  private blockMappingKey(ev: EmitEvent, first: boolean): void {
    const w = this.w;
    if (first) this.increaseIndent(false, false);
    this.processHeadComment();
    if (ev.type === 'mapEnd') {
      w.indent = this.indents.pop()!;
      this.state = this.pop();
      return;
    }
    w.writeIndent();
    if (this.line) {
      // A line comment on a key is written after the value's indicator, as go-yaml does.
      this.keyLine = this.line;
      this.line = '';
    }
    if (this.checkSimpleKey()) {
      this.states.push('blockMapSimpleValue');
      this.emitNode(ev, false, true, true);
      return;
    }
    w.writeIndicator('?', true, false, true);
    this.states.push('blockMapValue');
    this.emitNode(ev, false, true, false);
  }

  private blockMappingValue(ev: EmitEvent, simple: boolean): void {
    const w = this.w;
    if (simple) {
      w.writeIndicator(':', false, false, false);
    } else {
      w.writeIndent();
      w.writeIndicator(':', true, false, true);
    }
    if (this.keyLine) {
      if (ev.type === 'scalar') {
        if (!this.line) {
          this.line = this.keyLine;
          this.keyLine = '';
        }
      } else if ((ev.type === 'mapStart' || ev.type === 'seqStart') && !ev.flow) {
        [this.line, this.keyLine] = [this.keyLine, this.line];
        this.processLineComment(false);
        [this.line, this.keyLine] = [this.keyLine, this.line];
      }
    }
    this.states.push('blockMapKey');
    this.emitNode(ev, false, true, false);
    this.processLineComment(false);
    this.processFootComment();
  }

  private emitNode(ev: EmitEvent, root: boolean, mapping: boolean, simpleKey: boolean): void {
    this.rootContext = root;
    this.mappingContext = mapping;
    this.simpleKeyContext = simpleKey;
    switch (ev.type) {
      case 'alias':
        this.processAnchor();
        this.state = this.pop();
        return;
      case 'scalar':
        return this.emitScalar(ev);
      case 'seqStart':
        this.processAnchor();
        this.processTag();
        this.state = this.flowLevel > 0 || ev.flow || this.checkEmpty('seqEnd') ? 'flowSeqFirst' : 'blockSeqFirst';
        return;
      case 'mapStart':
        this.processAnchor();
        this.processTag();
        this.state = this.flowLevel > 0 || ev.flow || this.checkEmpty('mapEnd') ? 'flowMapFirstKey' : 'blockMapFirstKey';
        return;
      default:
        throw new Error(`YAML emitter: expected a node, got ${ev.type}`);
    }
  }
}
