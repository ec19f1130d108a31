import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Durable file steps of a snapshot commit: fsync a file, rename it into place and fsync the folder,
 * digest it (streamed). The lake layout: `datasets/<datasetId>/v<N>-<random>.parquet` (immutable),
 * `staging/<jobId>/…` (a load's work files).
 */

export const datasetDir = (lakeDir: string, datasetId: string) => path.join(lakeDir, "datasets", datasetId);
export const stagingRoot = (lakeDir: string) => path.join(lakeDir, "staging");
export const stagingDir = (lakeDir: string, jobId: string) => path.join(lakeDir, "staging", jobId);

/** The random part of a snapshot file name: the job id's suffix, so a crashed job's file is recognisable. */
export const snapshotFileName = (version: number, jobId: string) => `v${version}-${jobId.replace(/^job_/, "")}.parquet`;

export async function fsyncFile(file: string): Promise<void> {
  const fh = await fs.promises.open(file, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function fsyncDir(dir: string): Promise<void> {
  try {
    const fh = await fs.promises.open(dir, "r");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    /* some file systems do not fsync folders */
  }
}

/** fsync `from`, rename it to `to` (same file system), fsync the target folder. */
export async function durableRename(from: string, to: string): Promise<void> {
  await fsyncFile(from);
  await fs.promises.mkdir(path.dirname(to), { recursive: true });
  await fs.promises.rename(from, to);
  await fsyncDir(path.dirname(to));
}

/** "sm3:<hex>" or "sha256:<hex>" of a file's bytes, streamed. */
export async function fileDigest(file: string, hash: "sm3" | "sha256"): Promise<string> {
  const h = crypto.createHash(hash);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return `${hash}:${h.digest("hex")}`;
}

export async function removeQuietly(p: string): Promise<void> {
  await fs.promises.rm(p, { recursive: true, force: true }).catch(() => undefined);
}
