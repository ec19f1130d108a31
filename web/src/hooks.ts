import { useCallback, useEffect, useRef, useState } from "react";
import { api, ApiError, type JobView, type Vocab } from "./api.ts";

export interface AsyncState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload(): void;
}

/** Run an async loader when deps change; keeps the last data while reloading. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let alive = true;
    setLoading(true);
    loadRef
      .current()
      .then((d) => {
        if (!alive) return;
        setData(d);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (!alive) return;
        setError(e instanceof ApiError ? e : new ApiError(0, { message: String(e), messageEn: String(e) }));
      })
      .finally(() => alive && setLoading(false));
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((x) => x + 1), []);
  return { data, error, loading, reload };
}

/** The national vocabulary, as the server states it; these defaults hold until it answers. */
export const DEFAULT_VOCAB: Vocab = {
  shareTypes: ["无条件共享", "有条件共享", "不予共享"],
  shareMethods: ["共享平台方式", "邮件方式", "介质方式"],
  shareMethodTypes: ["数据库", "文件", "接口"],
  openTypes: ["无条件开放", "有条件开放", "不予开放"],
  updateCycles: ["实时", "每日", "每周", "每月", "每季度", "每半年", "每年", "不定期"],
  grades: ["一般", "重要", "核心"],
  categories: ["基础", "主题", "部门"],
  baseThemes: ["人口", "法人单位", "自然资源和空间地理", "社会信用", "电子证照"],
  subjectThemes: ["公共服务", "健康保障", "社会保障", "食品药品安全", "安全生产", "价格监管", "能源安全", "信用体系", "城乡建设", "社区治理", "生态环保", "应急维稳"],
  domains: ["工业制造", "现代农业", "商贸流通", "交通运输", "金融服务", "科技创新", "文化旅游", "医疗健康", "应急管理", "气象服务", "城市治理", "绿色低碳"],
  formatCategories: ["电子文件", "电子表格", "数据库", "图形图像", "流媒体", "自描述格式", "其他"],
  itemTypes: ["字符型", "整数型", "数值型", "日期型", "日期时间型", "布尔型", "二进制型"],
};

let vocabPromise: Promise<Vocab> | null = null;

function normalizeList(v: unknown, fallback: string[]): string[] {
  if (!Array.isArray(v) || !v.length) return fallback;
  return v.map((x) => (typeof x === "string" ? x : String((x as { value?: unknown }).value ?? x)));
}

export function loadVocab(): Promise<Vocab> {
  vocabPromise ??= api.catalog
    .vocab()
    .then((v) => {
      const out = { ...DEFAULT_VOCAB };
      for (const k of Object.keys(DEFAULT_VOCAB) as (keyof Vocab)[]) out[k] = normalizeList((v as Record<string, unknown>)[k], DEFAULT_VOCAB[k]);
      return out;
    })
    .catch(() => {
      vocabPromise = null;
      return DEFAULT_VOCAB;
    });
  return vocabPromise;
}

export function useVocab(): Vocab {
  const [v, setV] = useState<Vocab>(DEFAULT_VOCAB);
  useEffect(() => {
    let alive = true;
    loadVocab().then((x) => alive && setV(x));
    return () => {
      alive = false;
    };
  }, []);
  return v;
}

/**
 * Follow a background job (GET /api/jobs/:id) until it ends: polls while it is queued or running,
 * then calls `onDone` once with the final state.
 */
export function useJob(jobId: string | undefined, onDone?: (job: JobView) => void, intervalMs = 600): { job: JobView | undefined; error: ApiError | undefined } {
  const [job, setJob] = useState<JobView>();
  const [error, setError] = useState<ApiError>();
  const doneRef = useRef(onDone);
  doneRef.current = onDone;
  useEffect(() => {
    setJob(undefined);
    setError(undefined);
    if (!jobId) return;
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const { job: j } = await api.jobs.get(jobId);
        if (!alive) return;
        setJob(j);
        if (j.status === "succeeded" || j.status === "failed") {
          doneRef.current?.(j);
          return;
        }
      } catch (e) {
        if (!alive) return;
        setError(e instanceof ApiError ? e : new ApiError(0, { message: String(e) }));
      }
      timer = setTimeout(tick, intervalMs);
    };
    void tick();
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
    };
  }, [jobId, intervalMs]);
  return { job, error };
}
