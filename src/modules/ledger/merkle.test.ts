import { test } from "node:test";
import assert from "node:assert/strict";
import { leafHash, nodeHash, type LedgerHash } from "./hash.ts";
import { MerkleTree, splitPoint, verifyConsistencyProof, verifyInclusionProof } from "./merkle.ts";

/** Naive RFC 9162 MTH straight from the definition, to check the cached tree against. */
function naiveRoot(alg: LedgerHash, hashes: Buffer[]): Buffer {
  if (hashes.length === 1) return hashes[0];
  const k = splitPoint(hashes.length);
  return nodeHash(alg, naiveRoot(alg, hashes.slice(0, k)), naiveRoot(alg, hashes.slice(k)));
}

const flip = (b: Buffer): Buffer => {
  const c = Buffer.from(b);
  c[0] ^= 1;
  return c;
};

for (const alg of ["sm3", "sha256"] as const) {
  test(`${alg}: inclusion and consistency proofs for every size 1..40, tampering fails`, () => {
    const N = 40;
    const leaves = Array.from({ length: N }, (_, i) => leafHash(alg, Buffer.from(`entry ${i}`)));
    const tree = new MerkleTree(alg, leaves);
    const roots = [tree.root(0)];
    for (let n = 1; n <= N; n++) {
      roots.push(tree.root(n));
      assert.deepEqual(tree.root(n), naiveRoot(alg, leaves.slice(0, n)), `root ${n}`);
    }
    for (let n = 1; n <= N; n++) {
      for (let i = 0; i < n; i++) {
        const p = tree.inclusionProof(i, n);
        assert.ok(verifyInclusionProof(alg, leaves[i], i, n, p, roots[n]), `incl ${i}/${n}`);
        assert.ok(!verifyInclusionProof(alg, flip(leaves[i]), i, n, p, roots[n]));
        assert.ok(!verifyInclusionProof(alg, leaves[i], i, n, p, flip(roots[n])));
        if (n > 1) {
          assert.ok(!verifyInclusionProof(alg, leaves[i], (i + 1) % n, n, p, roots[n]), `wrong index ${i}/${n}`);
          for (let k = 0; k < p.length; k++) {
            const bad = [...p];
            bad[k] = flip(bad[k]);
            assert.ok(!verifyInclusionProof(alg, leaves[i], i, n, bad, roots[n]));
          }
          assert.ok(!verifyInclusionProof(alg, leaves[i], i, n, p.slice(0, -1), roots[n]));
          assert.ok(!verifyInclusionProof(alg, leaves[i], i, n, [...p, leaves[0]], roots[n]));
        }
      }
      for (let m = 0; m <= n; m++) {
        const p = tree.consistencyProof(m, n);
        assert.ok(verifyConsistencyProof(alg, m, n, roots[m], roots[n], p), `cons ${m}→${n}`);
        if (m > 0 && m < n) {
          assert.ok(!verifyConsistencyProof(alg, m, n, flip(roots[m]), roots[n], p));
          assert.ok(!verifyConsistencyProof(alg, m, n, roots[m], flip(roots[n]), p));
          for (let k = 0; k < p.length; k++) {
            const bad = [...p];
            bad[k] = flip(bad[k]);
            assert.ok(!verifyConsistencyProof(alg, m, n, roots[m], roots[n], bad), `cons tamper ${m}→${n} #${k}`);
          }
          assert.ok(!verifyConsistencyProof(alg, m, n, roots[m], roots[n], p.slice(0, -1)));
        }
      }
      assert.ok(!verifyConsistencyProof(alg, n, n, roots[n], roots[n], [leaves[0]]));
    }
  });
}

test("100k leaves: build, random inclusion/consistency proofs stay fast and valid", () => {
  const alg = "sm3";
  const N = 100_000;
  const t0 = performance.now();
  const tree = new MerkleTree(alg);
  for (let i = 0; i < N; i++) tree.append(leafHash(alg, Buffer.from(`e${i}`)));
  const built = performance.now() - t0;
  let seed = 42;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const t1 = performance.now();
  for (let k = 0; k < 200; k++) {
    const n = 1 + rnd(N);
    const m = rnd(n + 1);
    const i = rnd(n);
    assert.ok(verifyInclusionProof(alg, tree.leafHash(i), i, n, tree.inclusionProof(i, n), tree.root(n)));
    assert.ok(verifyConsistencyProof(alg, m, n, tree.root(m), tree.root(n), tree.consistencyProof(m, n)));
  }
  const proofs = performance.now() - t1;
  assert.ok(proofs < 2000, `200 proof pairs took ${proofs} ms`);
  assert.ok(built < 5000, `building took ${built} ms`);
});
