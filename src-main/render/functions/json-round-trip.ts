// What a catalog function does to a resource when it converts it to JSON and
// back (kustomize's filtersutil.ApplyToJSON): quoting and block styles
// become go-yaml Marshal's, empty values become `null`. Comments and field
// order survive because kpt copies them back from its input.
import { isMap, isSeq, visit, type Document } from 'yaml';

const OLD_BOOL = /^(y|Y|yes|Yes|YES|on|On|ON|n|N|no|No|NO|off|Off|OFF)$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

export function jsonRoundTrip(doc: Document): void {
  visit(doc, {
    Scalar(_k, s) {
      if (typeof s.value === 'string') {
        s.type = OLD_BOOL.test(s.value) || BASE60.test(s.value) ? 'QUOTE_DOUBLE' : undefined;
        s.source = undefined;
      } else if (s.value === null) {
        s.source = 'null';
        s.type = 'PLAIN';
      } else {
        s.source = String(s.value);
        s.type = 'PLAIN';
      }
    },
    Map(_k, m) {
      if (isMap(m) && m.items.length > 0) m.flow = false;
    },
    Seq(_k, q) {
      if (isSeq(q) && q.items.length > 0) q.flow = false;
    },
  });
}
