import { InvalidError } from "../../core/errors.ts";
import { CATEGORY_DIGIT, type EntryContent } from "./schema.ts";

/**
 * The catalog rules of RULES.md §2 and §5.5, each refused with a clear error naming the field.
 * `forSubmit` adds the rules that a draft may still break but a submitted entry may not.
 */
export function checkContent(c: EntryContent, opts: { forSubmit: boolean }): void {
  const fail = (field: string, message: string, messageEn: string): never => {
    throw new InvalidError({ field: `content.${field}`, message, messageEn });
  };
  if (c.classCode[0] !== CATEGORY_DIGIT[c.category])
    fail("classCode", `分类码首位应为 ${CATEGORY_DIGIT[c.category]}（${c.category}类）`, `The class code must start with ${CATEGORY_DIGIT[c.category]} for category ${c.category}`);
  if (c.shareType === "不予共享" && !c.notShareBasis)
    fail("notShareBasis", "不予共享的资源必须填写不予共享依据（法律、行政法规或国务院决定）", "A resource that is not shared needs the legal basis for not sharing");
  if (c.shareType === "有条件共享" && !c.shareConditions)
    fail("shareConditions", "有条件共享的资源必须填写共享条件", "Conditional sharing needs the sharing conditions");
  if (c.openType === "有条件开放" && !c.openConditions)
    fail("openConditions", "有条件开放的资源必须填写开放条件", "Conditional opening needs the opening conditions");
  if (c.grade === "核心" && c.shareType === "无条件共享")
    fail("shareType", "核心数据不得无条件共享", "Core data cannot be shared unconditionally");
  if (c.grade === "核心" && c.openType !== "不予开放")
    fail("openType", "核心数据不得向社会开放", "Core data cannot be opened to the public");
  if (c.generalLevel !== undefined && c.grade !== "一般")
    fail("generalLevel", "只有一般数据可以设置子级（1–4级）", "Only general data has a sub-level (1–4)");
  const seen = new Set<string>();
  c.items.forEach((it, i) => {
    if (seen.has(it.name)) fail(`items.${i}.name`, `信息项名称「${it.name}」重复`, `Duplicate data item name '${it.name}'`);
    seen.add(it.name);
  });
  if (opts.forSubmit && c.items.length === 0)
    fail("items", "提交审核前必须至少填写一个信息项", "An entry needs at least one data item before it can be submitted");
}

/** Changes to these fields of a published entry need a reason (RULES.md §2.5). */
export function needsReason(before: EntryContent, after: EntryContent): boolean {
  return (
    before.shareType !== after.shareType ||
    before.openType !== after.openType ||
    JSON.stringify(before.items) !== JSON.stringify(after.items)
  );
}
