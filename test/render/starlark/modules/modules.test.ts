import { describe, expect, it } from 'vitest';
import { AVAILABLE_MODULES } from '../../../../src-main/render/starlark/modules/index.ts';
import { evalError, run } from '../helpers.ts';

describe('load()', () => {
  it('offers the catalog runner modules that need no files or network', () => {
    expect(AVAILABLE_MODULES).toEqual([
      'krmfn.star',
      'encoding/json.star',
      'encoding/yaml.star',
      'encoding/base64.star',
      'encoding/csv.star',
      'hash.star',
      'math.star',
      're.star',
    ]);
  });

  it('refuses other modules with a reason and the list of what is available', () => {
    expect(evalError('load("http.star", "http")').msg).toMatch(/^cannot load http.star: the sandbox has no network access; available: krmfn.star, /);
    expect(evalError('load("../secrets.star", "x")').msg).toMatch(/^cannot load \.\.\/secrets.star: no such module \(scripts cannot read files\); available: /);
    expect(evalError('load("json.star", "json")').msg).toMatch(/^cannot load json.star: no such module/);
    expect(evalError('load("encoding/json.star", "nope")').msg).toBe('load: name nope not found in module encoding/json.star');
  });

  it('binds loaded names, with aliases', () => {
    expect(run('load("encoding/json.star", j="json")\nprint(j.encode([1]))')).toEqual(['[1]']);
  });
});

describe('encoding/json.star', () => {
  it('encodes with sorted keys and Go number formats, decodes keeping order and int/float', () => {
    run(`
load("encoding/json.star", "json")
assert_eq(json.encode({"b": 1, "a": [True, None, 1.0, "x\\"y"]}), '{"a":[true,null,1.0,"x\\\\"y"],"b":1}')
assert_eq(json.encode("<é>"), '"\\\\u003cé\\\\u003e"')
d = json.decode('{"z": 1, "a": {"n": 2.5, "big": 123456789012345678901234567890}}')
assert_eq(list(d), ["z", "a"])
assert_eq(type(d["z"]), "int")
assert_eq(d["a"]["big"], 123456789012345678901234567890)
assert_eq(json.decode("[1, 2]", default=None), [1, 2])
assert_eq(json.decode("oops", default="fallback"), "fallback")
assert_eq(json.indent('{"a":[1,2]}', indent="  "), '{\\n  "a": [\\n    1,\\n    2\\n  ]\\n}')
assert_eq(json.encode_indent({"a": {}}, prefix="", indent=" "), '{\\n "a": {}\\n}')
`);
    expect(evalError('load("encoding/json.star", "json")\njson.decode("[1,")').msg).toBe('json.decode: at offset 3, unexpected end of file');
    expect(evalError('load("encoding/json.star", "json")\njson.encode({1: 2})').msg).toBe('json.encode: dict has int key, want string');
    expect(evalError('load("encoding/json.star", "json")\njson.encode(float("inf"))').msg).toBe('json.encode: cannot encode non-finite float +inf');
  });
});

describe('encoding/yaml.star', () => {
  it('loads YAML 1.1 like yaml.v2 and dumps with Go key order', () => {
    run(`
load("encoding/yaml.star", "yaml")
v = yaml.loads("b: yes\\na: [1, 2.5, ~]\\nc: {d: 0777, e: '5'}")
assert_eq(v, {"b": True, "a": [1, 2.5, None], "c": {"d": 511, "e": "5"}})
# As yaml.v2 does, YAML 1.1 booleans such as y and no are quoted even as keys.
assert_eq(yaml.dumps({"b": [1, {"y": "no"}], "a10": 1, "a2": 2}), 'a2: 2\\na10: 1\\nb:\\n- 1\\n- "y": "no"\\n')
`);
    expect(evalError('load("encoding/yaml.star", "yaml")\nyaml.dumps(set([1]))').msg).toMatch(/^yaml.dumps: cannot convert a set to YAML/);
  });
});

describe('encoding/base64.star, hash.star, encoding/csv.star', () => {
  it('encode and decode base64 in the four dialects, strictly', () => {
    run(`
load("encoding/base64.star", "base64")
assert_eq(base64.encode("hi?"), "aGk/")
assert_eq(base64.encode("hi?", encoding="url"), "aGk_")
assert_eq(base64.encode("h", encoding="standard_raw"), "aA")
assert_eq(base64.encode("h"), "aA==")
assert_eq(base64.decode("aA", encoding="url_raw"), "h")
assert_eq(base64.decode("aGVsbG8="), "hello")
`);
    expect(evalError('load("encoding/base64.star", "base64")\nbase64.decode("a$==")').msg).toBe('base64.decode: illegal base64 data at input byte 1');
    expect(evalError('load("encoding/base64.star", "base64")\nbase64.encode("x", encoding="hex")').msg).toMatch(/unsupported encoding format: hex/);
  });

  it('hashes strings to hex digests', () => {
    run(`
load("hash.star", "hash")
assert_eq(hash.md5("abc"), "900150983cd24fb0d6963f7d28e17f72")
assert_eq(hash.sha1("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d")
assert_eq(hash.sha256(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
`);
  });

  it('reads and writes CSV like Go encoding/csv', () => {
    run(`
load("encoding/csv.star", "csv")
assert_eq(csv.read_all('a,b\\n"c,d","e""f"\\n\\n# note\\ng,h', comment="#"), [["a", "b"], ["c,d", 'e"f'], ["g", "h"]])
assert_eq(csv.read_all("a;b\\nc;d", comma=";", skip=1), [["c", "d"]])
assert_eq(csv.write_all([["a", "b,c"], ["", ' lead', 'q"q']]), 'a,"b,c"\\n," lead","q""q"\\n')
`);
    expect(evalError('load("encoding/csv.star", "csv")\ncsv.read_all("a,b\\nc")').msg).toBe('csv.read_all: record on line 2: wrong number of fields');
    expect(evalError('load("encoding/csv.star", "csv")\ncsv.read_all(\'a"b\')').msg).toBe('parse error on line 1, column 2: bare " in non-quoted-field');
  });
});

describe('math.star', () => {
  it('has go.starlark.net math functions and constants', () => {
    run(`
load("math.star", "math")
assert_eq(math.floor(2.7), 2)
assert_eq(math.ceil(-2.7), -2)
assert_eq(type(math.floor(1.0)), "int")
assert_eq(math.round(2.5), 3.0)
assert_eq(math.round(-2.5), -3.0)
assert_eq(math.sqrt(9), 3.0)
assert_eq(math.pow(2, 10), 1024.0)
assert_eq(math.log(8, 2), 3.0)
assert_eq(math.mod(7, 3), 1.0)
assert_eq(math.remainder(7, 2), -1.0)
assert_eq(math.copysign(3, -0.0), -3.0)
assert_eq(math.fabs(-1), 1.0)
assert_eq(math.degrees(math.pi), 180.0)
assert_eq(math.gamma(5) > 23.999 and math.gamma(5) < 24.001, True)
assert_eq(math.hypot(3, 4), 5.0)
`);
    expect(evalError('load("math.star", "math")\nmath.sqrt("x")').msg).toBe('math.sqrt: for parameter 1: got string, want float or int');
  });
});

describe('krmfn.star', () => {
  it('matches resources by apiVersion/kind, name and namespace', () => {
    run(`
load("krmfn.star", "krmfn")
r = {"apiVersion": "infra.nephio.org/v1alpha1", "kind": "WorkloadCluster", "metadata": {"name": "c1", "namespace": "ns"}}
assert_eq(krmfn.match_gvk(r, "infra.nephio.org/v1alpha1", "WorkloadCluster"), True)
assert_eq(krmfn.match_gvk(r, "v1", "WorkloadCluster"), False)
assert_eq(krmfn.match_gvk(r, "", "WorkloadCluster"), True)
assert_eq(krmfn.match_name(r, "c1"), True)
assert_eq(krmfn.match_namespace(r, "other"), False)
assert_eq(krmfn.match_name({"kind": "X"}, "c1"), False)
`);
    expect(evalError('load("krmfn.star", "krmfn")\nkrmfn.match_name([], "x")').msg).toBe('krmfn.match_name: for parameter 1: got list, want a resource (dict)');
  });
});
