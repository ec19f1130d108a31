// Known-answer tests: RFC 6962/9162 hashing and proofs (SHA-256), SM3, GB/T 32918 SM2, Go's
// sumdb/note signed-note vectors and C2SP tlog-tiles paths.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { sm2 } from "sm-crypto-v2";
import { canonicalJson, digest } from "./canonical.ts";
import { emptyRoot, hashBytes, leafHash, nodeHash } from "./hash.ts";
import { MerkleTree, verifyConsistencyProof, verifyInclusionProof } from "./merkle.ts";
import {
  computeKeyId,
  ed25519VerifierKey,
  formatCheckpoint,
  openNote,
  parseCheckpoint,
  parseEd25519SignerKey,
  parseVerifierKey,
  signNote,
  sm2Sign,
  sm2Verify,
  SM2_TYPE,
} from "./note.ts";
import { encodeTileIndex, parseTilePath, tileBytes, tilePath, tilesForSize, decodeEntryBundle, encodeEntryBundle, tileHashes } from "./tiles.ts";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const unhex = (s: string): Buffer => Buffer.from(s, "hex");

// RFC 6962 reference leaves and heads (as published with transparency-dev/merkle and CT).
const CT_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(unhex);
const CT_ROOTS = [
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const CT_INCLUSION = [
  { index: 0, size: 8, proof: ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7", "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
  { index: 5, size: 8, proof: ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
];
const CT_CONSISTENCY = [
  { from: 2, to: 8, proof: ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"] },
  { from: 6, to: 8, proof: ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a", "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"] },
  { from: 2, to: 5, proof: ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e", "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"] },
];

test("RFC 6962 SHA-256 tree heads for sizes 0..8", () => {
  assert.equal(hex(emptyRoot("sha256")), CT_ROOTS[0]);
  const tree = new MerkleTree("sha256");
  assert.equal(hex(tree.root()), CT_ROOTS[0]);
  for (const [i, leaf] of CT_LEAVES.entries()) {
    tree.append(leafHash("sha256", leaf));
    assert.equal(hex(tree.root()), CT_ROOTS[i + 1], `size ${i + 1}`);
  }
  for (let n = 0; n <= 8; n++) assert.equal(hex(tree.root(n)), CT_ROOTS[n]);
});

test("RFC 6962 inclusion and consistency proof vectors", () => {
  const tree = new MerkleTree("sha256", CT_LEAVES.map((l) => leafHash("sha256", l)));
  for (const v of CT_INCLUSION) {
    assert.deepEqual(tree.inclusionProof(v.index, v.size).map(hex), v.proof);
    assert.ok(verifyInclusionProof("sha256", tree.leafHash(v.index), v.index, v.size, v.proof.map(unhex), unhex(CT_ROOTS[v.size])));
  }
  for (const v of CT_CONSISTENCY) {
    assert.deepEqual(tree.consistencyProof(v.from, v.to).map(hex), v.proof, `${v.from}→${v.to}`);
    assert.ok(verifyConsistencyProof("sha256", v.from, v.to, unhex(CT_ROOTS[v.from]), unhex(CT_ROOTS[v.to]), v.proof.map(unhex)));
  }
});

test("SM3 (GB/T 32905 example 1) and SM3 leaf/node prefixes", () => {
  assert.equal(hex(hashBytes("sm3", Buffer.from("abc"))), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  assert.equal(hex(leafHash("sm3", Buffer.from("x"))), hex(hashBytes("sm3", Buffer.from([0x00]), Buffer.from("x"))));
  const a = leafHash("sm3", Buffer.from("a"));
  const b = leafHash("sm3", Buffer.from("b"));
  assert.equal(hex(nodeHash("sm3", a, b)), hex(crypto.createHash("sm3").update(Buffer.concat([Buffer.from([1]), a, b])).digest()));
  assert.equal(hex(new MerkleTree("sm3", [a, b]).root()), hex(nodeHash("sm3", a, b)));
});

test("canonical JSON (RFC 8785 style) and digests", () => {
  assert.equal(canonicalJson({ b: 1, a: [true, null, "é"], c: { z: 1.5, y: -0 } }), '{"a":[true,null,"é"],"b":1,"c":{"y":0,"z":1.5}}');
  // RFC 8785 §3.2.3's sorting example (UTF-16 code units: € U+20AC sorts before 😀 U+D83D…).
  assert.equal(
    canonicalJson({ "\u20ac": 1, "\r": 2, "\ufb33": 3, "1": 4, "\ud83d\ude00": 5, "\u0080": 6, "\u00f6": 7 }),
    '{"\\r":2,"1":4,"\u0080":6,"\u00f6":7,"\u20ac":1,"\ud83d\ude00":5,"\ufb33":3}',
  );
  assert.equal(canonicalJson({ a: undefined, b: 1e21, c: 1e-7 }), '{"b":1e+21,"c":1e-7}');
  assert.throws(() => canonicalJson({ a: Number.NaN }));
  assert.throws(() => canonicalJson([undefined]));
  assert.equal(digest({ b: 2, a: 1 }, "sha256"), `sha256:${crypto.createHash("sha256").update('{"a":1,"b":2}').digest("hex")}`);
  assert.match(digest({}), /^sm3:[0-9a-f]{64}$/);
});

// golang.org/x/mod/sumdb/note note_test.go
const PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const NOTE_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIG = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

test("signed note: Go sumdb/note known signature, key IDs and vkeys", () => {
  const signer = parseEd25519SignerKey(PETER_SKEY);
  assert.equal(signer.keyId, 0xc74f20a3);
  assert.equal(signNote(NOTE_TEXT, [signer]), `${NOTE_TEXT}\n${PETER_SIG}`);
  const v = parseVerifierKey(PETER_VKEY);
  assert.equal(v.keyId, 0xc74f20a3);
  assert.equal(ed25519VerifierKey("PeterNeumann", Buffer.from(PETER_VKEY.split("+")[2], "base64").subarray(1)), PETER_VKEY);
  // One known key, one unknown: the unknown signature is ignored, as the spec requires.
  const opened = openNote(`${NOTE_TEXT}\n${PETER_SIG}${ENOCH_SIG}`, [v]);
  assert.equal(opened.text, NOTE_TEXT);
  assert.equal(opened.verified.length, 1);
  assert.equal(opened.unverified[0].name, "EnochRoot");
  assert.equal(openNote(`${NOTE_TEXT}\n${PETER_SIG}${ENOCH_SIG}`, [v, parseVerifierKey(ENOCH_VKEY)]).verified.length, 2);
  assert.throws(() => openNote(`${NOTE_TEXT}\n${ENOCH_SIG}`, [v]), /no verifiable signatures/);
  assert.throws(() => openNote(`${NOTE_TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`, [v]), /invalid ed25519 signature/);
  assert.throws(() => openNote(`${NOTE_TEXT.replace("problem", "Problem")}\n${PETER_SIG}`, [v]), /invalid/);
  for (const bad of [NOTE_TEXT, `${NOTE_TEXT}\n`, `${NOTE_TEXT}\n${PETER_SIG.slice(0, -1)}`, `\x01${NOTE_TEXT}\n${PETER_SIG}`, `${NOTE_TEXT}\n${PETER_SIG}Unexpected line.\n`]) {
    assert.throws(() => openNote(bad, [v]), /malformed/);
  }
  // Manglings of the vkey are refused (Go's TestNewVerifier).
  assert.throws(() => parseVerifierKey("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="));
  assert.throws(() => parseVerifierKey("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"));
  assert.throws(() => parseVerifierKey(PETER_VKEY.replace("c74f20a3", "c74f20a4")));
});

test("checkpoint body format (c2sp.org/tlog-checkpoint)", () => {
  const root = unhex(CT_ROOTS[8]);
  const body = formatCheckpoint({ origin: "example.com/log", size: 8, rootHash: root });
  assert.equal(body, `example.com/log\n8\n${root.toString("base64")}\n`);
  assert.deepEqual(parseCheckpoint(body), { origin: "example.com/log", size: 8, rootHash: root, extensions: [] });
  assert.throws(() => parseCheckpoint("example.com/log\n08\nAAAA\n"));
  assert.throws(() => parseCheckpoint(`example.com/log\n8\n${root.toString("base64")}`));
});

// GB/T 32918.2-2016 / GM/T 0003.2 Annex A example (also in OpenSSL's sm2_internal_test.c).
const SM2_VEC = {
  d: "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8",
  pub: "04" + "09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020" + "ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13",
  z: "b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3",
  e: "f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640",
  k: "59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21",
  x1: "04ebfc718e8d1798620432268e77feb6415e2ede0e073c0f4f640ecd2e149a73",
  r: "f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3",
  s: "b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa",
};

test("SM2 (sm-crypto-v2) matches the GB/T 32918 known signature with the default user ID", () => {
  const msg = Buffer.from("message digest");
  assert.equal(sm2.getPublicKeyFromPrivateKey(SM2_VEC.d), SM2_VEC.pub);
  assert.equal(hex(sm2.getZ(SM2_VEC.pub, "1234567812345678")), SM2_VEC.z);
  assert.equal(sm2.getHash(hex(msg), SM2_VEC.pub), SM2_VEC.e);
  const sig = sm2.doSignature(msg, SM2_VEC.d, { hash: true, publicKey: SM2_VEC.pub, pointPool: [{ k: BigInt(`0x${SM2_VEC.k}`), x1: BigInt(`0x${SM2_VEC.x1}`) }] });
  assert.equal(sig, SM2_VEC.r + SM2_VEC.s);
  assert.ok(sm2Verify(msg, unhex(SM2_VEC.r + SM2_VEC.s), SM2_VEC.pub));
  assert.ok(!sm2Verify(msg, unhex(SM2_VEC.r + SM2_VEC.s), SM2_VEC.pub, "ALICE123@YAHOO.COM"));
  assert.ok(!sm2Verify(Buffer.from("message digesT"), unhex(SM2_VEC.r + SM2_VEC.s), SM2_VEC.pub));
  // Our wrapper: round trip, and a signature made for another user ID fails under the default.
  const key = { privateKey: SM2_VEC.d, publicKey: SM2_VEC.pub };
  const mine = sm2Sign(msg, key);
  assert.equal(mine.length, 64);
  assert.ok(sm2Verify(msg, mine, SM2_VEC.pub));
  assert.ok(!sm2Verify(msg, sm2Sign(msg, key, "another-user-id"), SM2_VEC.pub));
  // SM2 signature type for notes: 0xff followed by an identifier (see note.ts).
  assert.equal(SM2_TYPE[0], 0xff);
  assert.equal(computeKeyId("x", Buffer.concat([SM2_TYPE, unhex(SM2_VEC.pub)])), crypto.createHash("sha256").update(Buffer.concat([Buffer.from("x\n"), SM2_TYPE, unhex(SM2_VEC.pub)])).digest().readUInt32BE(0));
});

test("tlog-tiles paths (c2sp.org/tlog-tiles, Go sumdb/tlog tile paths)", () => {
  assert.equal(encodeTileIndex(1234067), "x001/x234/067");
  assert.equal(encodeTileIndex(0), "000");
  assert.equal(encodeTileIndex(1000), "x001/000");
  assert.equal(tilePath({ level: 0, index: 1234067, width: 256 }), "tile/0/x001/x234/067");
  assert.equal(tilePath({ level: 1, index: 3057500, width: 2 }), "tile/1/x003/x057/500.p/2");
  assert.equal(tilePath({ level: "entries", index: 5, width: 17 }), "tile/entries/005.p/17");
  assert.deepEqual(parseTilePath("tile/5/x123/x456/078.p/2"), { level: 5, index: 123456078, width: 2 });
  assert.deepEqual(parseTilePath("tile/entries/x001/234"), { level: "entries", index: 1234, width: 256 });
  for (const bad of ["tile/5/123/456/078", "tile/-1/000", "tile/0/x000/001", "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/01", "tile/64/000", "tile/data/000", "tile/0/000.p/05"]) {
    assert.equal(parseTilePath(bad), null, bad);
  }
  // The spec's example: a tree of 70,000 leaves.
  const tiles = tilesForSize(70000);
  assert.equal(tiles.filter((t) => t.level === 0 && t.width === 256).length, 273);
  assert.deepEqual(tiles.filter((t) => t.width < 256), [
    { level: 0, index: 273, width: 112 },
    { level: 1, index: 1, width: 17 },
    { level: 2, index: 0, width: 1 },
  ]);
  assert.equal(tiles.filter((t) => t.level === 1 && t.width === 256).length, 1);
  assert.deepEqual(tilesForSize(256), [{ level: 0, index: 0, width: 256 }, { level: 1, index: 0, width: 1 }]);
});

test("tile contents: level-1 hashes are the heads of full level-0 tiles (tile height 8)", () => {
  const n = 256 * 3 + 5;
  const tree = new MerkleTree("sha256", Array.from({ length: n }, (_, i) => leafHash("sha256", Buffer.from(`leaf ${i}`))));
  const t0 = tileBytes(tree, 0, 1, 256);
  assert.equal(t0.length, 8192);
  assert.deepEqual(tileHashes(t0)[7], tree.leafHash(256 + 7));
  const t1 = tileHashes(tileBytes(tree, 1, 0, 3));
  for (let i = 0; i < 3; i++) {
    // Hash the 256 hashes of tile 0/i as the leaves of a height-8 subtree (node hashes only).
    let level = tileHashes(tileBytes(tree, 0, i, 256));
    while (level.length > 1) level = Array.from({ length: level.length / 2 }, (_, j) => nodeHash("sha256", level[2 * j], level[2 * j + 1]));
    assert.deepEqual(t1[i], level[0]);
    assert.deepEqual(t1[i], tree.hash(i * 256, (i + 1) * 256));
  }
  assert.throws(() => tileBytes(tree, 0, 3, 6)); // only 5 leaves in the last tile
  const entries = [Buffer.from(""), Buffer.from("a"), Buffer.alloc(300, 7)];
  const bundle = encodeEntryBundle(entries);
  assert.equal(hex(bundle.subarray(0, 5)), "0000000161");
  assert.deepEqual(decodeEntryBundle(bundle), entries);
});
