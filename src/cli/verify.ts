/**
 * `gongshu verify`: check a ledger bundle offline (or fetched from a server), and optionally that
 * the log is consistent with a checkpoint saved earlier. Prints a zh-CN / English report and
 * returns the process exit code (0 = everything verified, 1 = anything failed).
 */
import fs from "node:fs/promises";
import { verifyBundle, verifyCheckpoint, verifyConsistency, type BundleResult } from "../modules/ledger/index.ts";

export interface RunVerifyOptions {
  /** A bundle JSON file ({checkpoint, hash, vkeys, items}). */
  bundleFile?: string;
  /** Server base URL; the bundle comes from `${url}/api/catalog/ledger-bundle`. */
  url?: string;
  /** Files of pinned verifier keys (one vkey per line); without them the bundle's keys are trusted. */
  vkeyFiles?: string[];
  /** A checkpoint note saved earlier: the current one must be a consistent extension of it. */
  previousCheckpointFile?: string;
  /** Print a JSON report instead of text. */
  json?: boolean;
}

interface Report {
  ok: boolean;
  source: string;
  pinnedKeys: boolean;
  checkpoint?: { origin: string; size: number; rootHash: string; signedBy: string[] };
  bundle?: Omit<BundleResult, "checkpoint">;
  consistency?: { ok: boolean; from: number; to: number; reason?: string };
  error?: string;
}

async function fetchJson(url: string): Promise<unknown> {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`GET ${url} → HTTP ${res.status}`);
  return res.json();
}

async function readVkeys(files: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const f of files) {
    for (const line of (await fs.readFile(f, "utf8")).split("\n")) {
      const t = line.trim();
      if (t && !t.startsWith("#")) out.push(t);
    }
  }
  return out;
}

function print(r: Report): void {
  const ok = (b: boolean): string => (b ? "✓" : "✗");
  const lines: string[] = [];
  lines.push(`账本校验 / Ledger verification — ${r.source}`);
  lines.push(r.pinnedKeys ? "公钥：使用指定的公钥 / keys: pinned" : "公钥：信任校验包内的公钥（建议用 --vkey 指定）/ keys: taken from the bundle (pin them with --vkey)");
  if (r.error) lines.push(`${ok(false)} 错误 / error: ${r.error}`);
  if (r.checkpoint) {
    lines.push(`${ok(true)} 检查点签名有效 / checkpoint signatures valid: ${r.checkpoint.origin}, 大小 size ${r.checkpoint.size}, 根 root ${r.checkpoint.rootHash}`);
    lines.push(`  签名密钥 / signed by: ${r.checkpoint.signedBy.join(", ")}`);
  }
  if (r.bundle) {
    lines.push(`${ok(r.bundle.ok)} 已验证 ${r.bundle.checked} 项，失败 ${r.bundle.failures.length} 项 / ${r.bundle.checked} item(s) verified, ${r.bundle.failures.length} failed`);
    for (const f of r.bundle.failures) {
      lines.push(`  ${ok(false)} ${f.reasonZh}`);
      lines.push(`    ${f.reason}`);
    }
  }
  if (r.consistency) {
    lines.push(
      r.consistency.ok
        ? `${ok(true)} 与先前检查点一致（${r.consistency.from} → ${r.consistency.to}）/ consistent with the previous checkpoint`
        : `${ok(false)} 与先前检查点不一致 / NOT consistent with the previous checkpoint (${r.consistency.from} → ${r.consistency.to}): ${r.consistency.reason ?? ""}`,
    );
  }
  lines.push(r.ok ? "结果：通过 / Result: OK" : "结果：未通过 / Result: FAILED");
  console.log(lines.join("\n"));
}

export async function runVerify(opts: RunVerifyOptions): Promise<number> {
  const base = opts.url?.replace(/\/+$/, "");
  const report: Report = { ok: false, source: opts.bundleFile ?? (base ? `${base}/api/catalog/ledger-bundle` : "(none)"), pinnedKeys: Boolean(opts.vkeyFiles?.length) };
  try {
    let bundle: unknown;
    if (opts.bundleFile) bundle = JSON.parse(await fs.readFile(opts.bundleFile, "utf8"));
    else if (base) bundle = await fetchJson(`${base}/api/catalog/ledger-bundle`);
    else throw new Error("需要 --bundle 或 --url / give a bundle file or a server URL");

    const pinned = opts.vkeyFiles?.length ? await readVkeys(opts.vkeyFiles) : undefined;
    if (pinned && pinned.length === 0) throw new Error("公钥文件为空 / the vkey files hold no keys");
    const result = verifyBundle(bundle, { vkeys: pinned });
    const { checkpoint, ...rest } = result;
    report.bundle = rest;
    if (checkpoint) {
      report.checkpoint = {
        origin: checkpoint.origin,
        size: checkpoint.size,
        rootHash: checkpoint.rootHash.toString("base64"),
        signedBy: checkpoint.signedBy.map((s) => `${s.algorithm}:${s.name}+${s.keyId.toString(16).padStart(8, "0")}`),
      };
    }
    report.ok = result.ok;

    if (opts.previousCheckpointFile && checkpoint) {
      const prevNote = await fs.readFile(opts.previousCheckpointFile, "utf8");
      const vkeys = pinned ?? (bundle as { vkeys: string[] }).vkeys;
      const prev = verifyCheckpoint(prevNote, vkeys, { origin: checkpoint.origin });
      const hash = (bundle as { hash: "sm3" | "sha256" }).hash;
      const c = { ok: false, from: prev.size, to: checkpoint.size } as NonNullable<Report["consistency"]>;
      try {
        let proof: string[] = [];
        if (prev.size > 0 && prev.size < checkpoint.size) {
          if (!base) throw new Error("需要 --url 获取一致性证明 / --url is needed to fetch the consistency proof");
          const body = (await fetchJson(`${base}/api/ledger/proof/consistency?from=${prev.size}&to=${checkpoint.size}`)) as { proof?: unknown };
          if (!Array.isArray(body.proof) || !body.proof.every((p): p is string => typeof p === "string")) throw new Error("malformed consistency proof response");
          proof = body.proof;
        }
        verifyConsistency({ hash, oldSize: prev.size, newSize: checkpoint.size, oldRoot: prev.rootHash, newRoot: checkpoint.rootHash, proof });
        c.ok = true;
      } catch (e) {
        c.reason = e instanceof Error ? e.message : String(e);
      }
      report.consistency = c;
      report.ok = report.ok && c.ok;
    }
  } catch (e) {
    report.ok = false;
    report.error = e instanceof Error ? e.message : String(e);
  }
  if (opts.json) console.log(JSON.stringify(report, null, 2));
  else print(report);
  return report.ok ? 0 : 1;
}
