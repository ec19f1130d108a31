import { useEffect, useMemo, useState } from "react";
import { Alert, App, AutoComplete, Button, Card, Checkbox, Col, Form, Input, InputNumber, Modal, Result, Row, Select, Skeleton, Space, Table, Typography } from "antd";
import { DeleteOutlined, PlusOutlined, SaveOutlined, SendOutlined } from "@ant-design/icons";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api, ApiError, fieldPathOf, type EntryContent, type EntryView } from "../api.ts";
import { useVocab } from "../hooks.ts";
import { useI18n, type MessageKey } from "../i18n.ts";
import { PageTitle } from "../components/tags.tsx";

/** Form values: EntryContent with optional fields loosened while typing. */
type FormValues = Omit<EntryContent, "items"> & {
  seq?: string;
  items: { name: string; nameEn?: string; type: string; length?: number | null; description?: string; sensitive?: boolean; required?: boolean; key?: boolean; codeList?: string[] }[];
};

const CATEGORY_DIGIT: Record<string, string> = { 基础: "1", 主题: "2", 部门: "3" };
const FORMAT_SUGGESTIONS = ["xlsx", "xls", "csv", "json", "xml", "pdf", "docx", "接口", "数据库表", "shp", "geojson", "jpg", "mp4"];

const EMPTY: Partial<FormValues> = {
  category: "部门",
  classCode: "3",
  domains: [],
  keywords: [],
  formatCategory: "电子表格",
  formats: ["xlsx"],
  shareType: "有条件共享",
  shareMethod: "共享平台方式",
  shareMethodType: "接口",
  openType: "不予开放",
  updateCycle: "每月",
  grade: "一般",
  generalLevel: 2,
  items: [{ name: "", type: "字符型", sensitive: false, required: true }],
  relatedCodes: [],
};

function blank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "string" && v.trim() === "");
}

/** Form values → the server's EntryContent: trims, drops empty optionals and attributes that do not apply. */
function toContent(v: FormValues): EntryContent {
  const opt = (s?: string | null) => (blank(s) ? undefined : String(s).trim());
  const c: Record<string, unknown> = {
    name: v.name?.trim(),
    summary: v.summary?.trim(),
    category: v.category,
    classCode: v.classCode?.trim(),
    theme: v.theme?.trim(),
    domains: v.domains ?? [],
    keywords: (v.keywords ?? []).map((k) => k.trim()).filter(Boolean),
    formatCategory: v.formatCategory,
    formats: (v.formats ?? []).map((k) => k.trim()).filter(Boolean),
    items: (v.items ?? []).map((it) => ({
      name: it.name?.trim() ?? "",
      ...(opt(it.nameEn) ? { nameEn: opt(it.nameEn) } : {}),
      type: it.type,
      ...(typeof it.length === "number" ? { length: it.length } : {}),
      ...(opt(it.description) ? { description: opt(it.description) } : {}),
      sensitive: !!it.sensitive,
      required: !!it.required,
      key: !!it.key,
      ...((it.codeList ?? []).map((x) => x.trim()).filter(Boolean).length ? { codeList: [...new Set((it.codeList ?? []).map((x) => x.trim()).filter(Boolean))] } : {}),
    })),
    shareType: v.shareType,
    shareConditions: v.shareType === "有条件共享" ? opt(v.shareConditions) : undefined,
    shareMethod: v.shareMethod,
    shareMethodType: v.shareType !== "不予共享" && v.shareMethod === "共享平台方式" ? v.shareMethodType || undefined : undefined,
    notShareBasis: v.shareType === "不予共享" ? opt(v.notShareBasis) : undefined,
    openType: v.openType,
    openConditions: v.openType === "有条件开放" ? opt(v.openConditions) : undefined,
    notOpenBasis: v.openType === "不予开放" ? opt(v.notOpenBasis) : undefined,
    updateCycle: v.updateCycle,
    sourceSystem: { name: v.sourceSystem?.name?.trim(), ...(opt(v.sourceSystem?.description) ? { description: opt(v.sourceSystem?.description) } : {}) },
    grade: v.grade,
    generalLevel: v.grade === "一般" && typeof v.generalLevel === "number" ? v.generalLevel : undefined,
    relatedCodes: (v.relatedCodes ?? []).map((k) => k.trim()).filter(Boolean),
    contact: { name: v.contact?.name?.trim(), phone: v.contact?.phone?.trim(), ...(opt(v.contact?.email) ? { email: opt(v.contact?.email) } : {}) },
  };
  for (const k of Object.keys(c)) if (c[k] === undefined) delete c[k];
  return c as unknown as EntryContent;
}

export default function EntryEditorPage() {
  const { id } = useParams();
  const isNew = !id;
  const { t, term, msg } = useI18n();
  const vocab = useVocab();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<FormValues>();
  const [entry, setEntry] = useState<EntryView>();
  const [loadError, setLoadError] = useState<ApiError>();
  const [serverError, setServerError] = useState<ApiError>();
  const [busy, setBusy] = useState<"draft" | "submit">();
  const [reasonOpen, setReasonOpen] = useState<"draft" | "submit">();
  const [reason, setReason] = useState("");

  useEffect(() => {
    if (isNew) {
      form.setFieldsValue(EMPTY as FormValues);
      return;
    }
    api.catalog
      .get(id)
      .then((r) => {
        setEntry(r.entry);
        form.setFieldsValue({ ...(r.entry.content as FormValues) });
      })
      .catch((e: ApiError) => setLoadError(e));
  }, [id, isNew, form]);

  const category = Form.useWatch("category", form);
  const shareType = Form.useWatch("shareType", form);
  const shareMethod = Form.useWatch("shareMethod", form);
  const openType = Form.useWatch("openType", form);
  const grade = Form.useWatch("grade", form);
  const classCode = Form.useWatch("classCode", form);
  const seq = Form.useWatch("seq", form);
  const isCore = grade === "核心";

  // 核心数据: never 无条件共享, never opened.
  useEffect(() => {
    if (!isCore) return;
    if (form.getFieldValue("shareType") === "无条件共享") form.setFieldValue("shareType", "有条件共享");
    if (form.getFieldValue("openType") !== "不予开放") form.setFieldValue("openType", "不予开放");
  }, [isCore, form]);

  const themeOptions = useMemo(() => {
    const list = category === "基础" ? vocab.baseThemes : category === "主题" ? vocab.subjectThemes : [...vocab.baseThemes, ...vocab.subjectThemes];
    return list.map((x) => ({ value: x, label: term(x) }));
  }, [category, vocab, term]);

  const onCategoryChange = (cat: string) => {
    const digit = CATEGORY_DIGIT[cat];
    const cur: string = form.getFieldValue("classCode") ?? "";
    if (digit) form.setFieldValue("classCode", digit + cur.slice(1));
    form.validateFields(["classCode"]).catch(() => {});
  };

  const published = !isNew && (entry?.publishedVersion != null || entry?.status === "published");

  const applyServerError = (e: ApiError) => {
    setServerError(e);
    const path = fieldPathOf(e.field);
    if (path) {
      const text = msg(e.text);
      form.setFields([{ name: path as never, errors: [text] }]);
      try {
        form.scrollToField(path as never, { block: "center" });
      } catch {
        /* field not in the form */
      }
    }
    message.error(msg(e.text));
  };

  const save = async (mode: "draft" | "submit", changeReason?: string) => {
    let values: FormValues;
    try {
      values = await form.validateFields();
    } catch (e) {
      const first = (e as { errorFields?: { name: (string | number)[] }[] }).errorFields?.[0];
      if (first) form.scrollToField(first.name as never, { block: "center" });
      message.error(t("editor.fixErrors"));
      return;
    }
    if (published && changeReason === undefined) {
      setReasonOpen(mode);
      return;
    }
    setBusy(mode);
    setServerError(undefined);
    try {
      const content = toContent(values);
      const saved = isNew ? (await api.catalog.create(content, values.seq?.trim() || undefined)).entry : (await api.catalog.update(id!, content, changeReason || undefined)).entry;
      if (mode === "submit") await api.catalog.submit(saved.id);
      message.success(t(mode === "submit" ? "editor.submitted" : "editor.saved"));
      navigate(`/catalog/${saved.id}`);
    } catch (e) {
      if (e instanceof ApiError) {
        if (published && e.field === "reason") {
          setReasonOpen(mode);
          message.error(msg(e.text));
        } else applyServerError(e);
      } else message.error(String(e));
    } finally {
      setBusy(undefined);
    }
  };

  if (loadError) return <Result status={loadError.status === 404 ? "404" : "error"} title={msg(loadError.text)} extra={<Link to="/mine"><Button>{t("nav.mine")}</Button></Link>} />;
  if (!isNew && !entry) return <Card><Skeleton active paragraph={{ rows: 12 }} /></Card>;

  const req = (key: MessageKey) => [{ required: true, whitespace: true, message: `${t(key)}${t("common.colon")}${t("editor.required")}` }];
  const sel = (list: string[], disabled?: (v: string) => boolean) => list.map((v) => ({ value: v, label: term(v), disabled: disabled?.(v) }));

  return (
    <div>
      <PageTitle
        extra={
          <Space>
            <Button icon={<SaveOutlined />} loading={busy === "draft"} disabled={!!busy} onClick={() => save("draft")} data-testid="save-draft">
              {t("editor.saveDraft")}
            </Button>
            <Button type="primary" icon={<SendOutlined />} loading={busy === "submit"} disabled={!!busy} onClick={() => save("submit")} data-testid="save-submit">
              {t("editor.saveAndSubmit")}
            </Button>
          </Space>
        }
      >
        {isNew ? t("editor.newTitle") : `${t("editor.editTitle")}${t("common.colon")}${entry?.content.name ?? ""}`}
        {!isNew && entry && (
          <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: 400, marginInlineStart: 12 }}>
            {entry.code}
          </Typography.Text>
        )}
      </PageTitle>
      {serverError && (
        <Alert type="error" showIcon closable onClose={() => setServerError(undefined)} title={msg(serverError.text)} description={serverError.field ? `${t("common.error")}${t("common.colon")}${serverError.field}` : undefined} style={{ marginBottom: 16 }} data-testid="server-error" />
      )}
      <Form form={form} layout="vertical" name="entry" scrollToFirstError={{ block: "center" }} onValuesChange={() => serverError && setServerError(undefined)}>
        <Card title={t("editor.basic")} size="small" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={16}>
              <Form.Item label={t("field.name")} name="name" rules={[...req("field.name"), { min: 2, max: 200 }]}>
                <Input maxLength={200} showCount />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item label={t("field.keywords")} name="keywords" extra={t("editor.keywordsHelp")}>
                <Select mode="tags" tokenSeparators={[",", "，", "、"]} open={false} suffixIcon={null} aria-label={t("field.keywords")} />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item label={t("field.summary")} name="summary" rules={req("field.summary")}>
                <Input.TextArea rows={3} maxLength={4000} showCount />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title={t("editor.classification")} size="small" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={6}>
              <Form.Item label={t("field.category")} name="category" rules={req("field.category")}>
                <Select options={sel(vocab.categories)} onChange={onCategoryChange} />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item
                label={t("field.classCode")}
                name="classCode"
                extra={t("editor.classCodeHelp")}
                rules={[
                  ...req("field.classCode"),
                  { pattern: /^[1-3]\d{5}\d{0,6}$/, message: t("editor.classCodeHelp") },
                  ({ getFieldValue }) => ({
                    validator: (_, v: string) =>
                      !v || !CATEGORY_DIGIT[getFieldValue("category")] || v.startsWith(CATEGORY_DIGIT[getFieldValue("category")]) ? Promise.resolve() : Promise.reject(new Error(t("editor.classCodeHelp"))),
                  }),
                ]}
              >
                <Input maxLength={12} inputMode="numeric" />
              </Form.Item>
            </Col>
            {isNew && (
              <Col xs={24} md={4}>
                <Form.Item label={t("editor.seq")} name="seq" rules={[{ pattern: /^\d{1,10}$/, message: "1–10" }]}>
                  <Input maxLength={10} inputMode="numeric" />
                </Form.Item>
              </Col>
            )}
            <Col xs={24} md={isNew ? 8 : 12}>
              <Form.Item label={t("field.theme")} name="theme" rules={req("field.theme")}>
                <AutoComplete options={themeOptions} filterOption={(input, o) => String(o?.value ?? "").includes(input)} aria-label={t("field.theme")} />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item label={t("field.domains")} name="domains">
                <Select mode="multiple" allowClear options={sel(vocab.domains)} aria-label={t("field.domains")} />
              </Form.Item>
            </Col>
            {isNew && classCode && (
              <Col span={24}>
                <Typography.Text type="secondary">
                  {t("field.code")}{t("common.colon")}<Typography.Text code>{`${classCode}/${seq || "……"}`}</Typography.Text>
                </Typography.Text>
              </Col>
            )}
          </Row>
        </Card>

        <Card title={t("editor.format")} size="small" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item label={t("field.formatCategory")} name="formatCategory" rules={req("field.formatCategory")}>
                <Select options={sel(vocab.formatCategories)} />
              </Form.Item>
            </Col>
            <Col xs={24} md={16}>
              <Form.Item label={t("field.formats")} name="formats" extra={t("editor.formatsHelp")} rules={[{ required: true, type: "array", min: 1, message: `${t("field.formats")}${t("common.colon")}${t("editor.required")}` }]}>
                <Select mode="tags" tokenSeparators={[",", "，", "、", " "]} options={FORMAT_SUGGESTIONS.map((f) => ({ value: f, label: f }))} aria-label={t("field.formats")} />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Row gutter={16}>
          <Col xs={24} lg={12}>
            <Card title={t("editor.share")} size="small" style={{ marginBottom: 16 }}>
              <Form.Item label={t("field.shareType")} name="shareType" rules={req("field.shareType")}>
                <Select options={sel(vocab.shareTypes, (v) => isCore && v === "无条件共享")} />
              </Form.Item>
              {isCore && <Alert type="warning" showIcon title={t("editor.rule.core")} style={{ marginBottom: 12 }} />}
              {shareType === "有条件共享" && (
                <Form.Item label={t("field.shareConditions")} name="shareConditions" extra={t("editor.rule.conditional")} rules={req("field.shareConditions")}>
                  <Input.TextArea rows={2} maxLength={2000} />
                </Form.Item>
              )}
              {shareType === "不予共享" && (
                <Form.Item label={t("field.notShareBasis")} name="notShareBasis" extra={t("editor.rule.notShare")} rules={req("field.notShareBasis")}>
                  <Input.TextArea rows={2} maxLength={2000} />
                </Form.Item>
              )}
              <Row gutter={12}>
                <Col span={12}>
                  <Form.Item label={t("field.shareMethod")} name="shareMethod">
                    <Select options={sel(vocab.shareMethods)} disabled={shareType === "不予共享"} />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item label={t("field.shareMethodType")} name="shareMethodType">
                    <Select allowClear options={sel(vocab.shareMethodTypes)} disabled={shareType === "不予共享" || shareMethod !== "共享平台方式"} />
                  </Form.Item>
                </Col>
              </Row>
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title={t("editor.open")} size="small" style={{ marginBottom: 16 }}>
              <Form.Item label={t("field.openType")} name="openType" rules={req("field.openType")}>
                <Select options={sel(vocab.openTypes, (v) => isCore && v !== "不予开放")} disabled={isCore} />
              </Form.Item>
              {openType === "有条件开放" && (
                <Form.Item label={t("field.openConditions")} name="openConditions" extra={t("editor.rule.openConditional")} rules={req("field.openConditions")}>
                  <Input.TextArea rows={2} maxLength={2000} />
                </Form.Item>
              )}
              {openType === "不予开放" && (
                <Form.Item label={t("field.notOpenBasis")} name="notOpenBasis" extra={t("editor.rule.notOpen")}>
                  <Input.TextArea rows={2} maxLength={2000} />
                </Form.Item>
              )}
            </Card>
          </Col>
        </Row>

        <Card title={t("editor.other")} size="small" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={6}>
              <Form.Item label={t("field.updateCycle")} name="updateCycle" rules={req("field.updateCycle")}>
                <Select options={sel(vocab.updateCycles)} />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item label={t("field.grade")} name="grade" rules={req("field.grade")}>
                <Select options={sel(vocab.grades)} />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item label={t("field.generalLevel")} name="generalLevel">
                <Select allowClear disabled={grade !== "一般"} options={[1, 2, 3, 4].map((n) => ({ value: n, label: `${n}` }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={6}>
              <Form.Item label={t("field.relatedCodes")} name="relatedCodes">
                <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[",", "，", " "]} aria-label={t("field.relatedCodes")} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item label={t("field.sourceSystemName")} name={["sourceSystem", "name"]} rules={req("field.sourceSystemName")}>
                <Input maxLength={200} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item label={t("field.sourceSystemDescription")} name={["sourceSystem", "description"]}>
                <Input maxLength={1000} />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title={t("editor.contact")} size="small" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item label={t("field.contactName")} name={["contact", "name"]} rules={req("field.contactName")}>
                <Input maxLength={50} autoComplete="name" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item label={t("field.contactPhone")} name={["contact", "phone"]} rules={[...req("field.contactPhone"), { pattern: /^[0-9+\-() ]{5,20}$/, message: t("editor.phoneInvalid") }]}>
                <Input maxLength={20} autoComplete="tel" />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item label={t("field.contactEmail")} name={["contact", "email"]} rules={[{ type: "email" }]}>
                <Input maxLength={100} autoComplete="email" />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card title={t("editor.items")} size="small" style={{ marginBottom: 16 }}>
          <Form.List name="items">
            {(fields, { add, remove }) => (
              <>
                <Table
                  size="small"
                  pagination={false}
                  rowKey="key"
                  dataSource={fields}
                  scroll={{ x: 1220 }}
                  data-testid="items-table"
                  columns={[
                    { title: "#", width: 44, render: (_: unknown, __: unknown, i: number) => i + 1 },
                    {
                      title: t("item.name"),
                      width: 180,
                      render: (_: unknown, f) => (
                        <Form.Item name={[f.name, "name"]} style={{ margin: 0 }} rules={[{ required: true, whitespace: true, message: t("editor.required") }]}>
                          <Input aria-label={`${t("item.name")} ${f.name + 1}`} maxLength={100} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t("item.nameEn"),
                      width: 150,
                      render: (_: unknown, f) => (
                        <Form.Item name={[f.name, "nameEn"]} style={{ margin: 0 }}>
                          <Input aria-label={`${t("item.nameEn")} ${f.name + 1}`} maxLength={100} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t("item.type"),
                      width: 130,
                      render: (_: unknown, f) => (
                        <Form.Item name={[f.name, "type"]} style={{ margin: 0 }} rules={[{ required: true, message: t("editor.required") }]}>
                          <Select aria-label={`${t("item.type")} ${f.name + 1}`} options={sel(vocab.itemTypes)} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t("item.length"),
                      width: 100,
                      render: (_: unknown, f) => (
                        <Form.Item name={[f.name, "length"]} style={{ margin: 0 }}>
                          <InputNumber aria-label={`${t("item.length")} ${f.name + 1}`} min={1} max={1000000} precision={0} style={{ width: "100%" }} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t("item.sensitive"),
                      width: 64,
                      align: "center" as const,
                      render: (_: unknown, f) => (
                        <Form.Item name={[f.name, "sensitive"]} valuePropName="checked" style={{ margin: 0 }}>
                          <Checkbox aria-label={`${t("item.sensitive")} ${f.name + 1}`} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t("item.required"),
                      width: 64,
                      align: "center" as const,
                      render: (_: unknown, f) => (
                        <Form.Item name={[f.name, "required"]} valuePropName="checked" style={{ margin: 0 }}>
                          <Checkbox aria-label={`${t("item.required")} ${f.name + 1}`} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t("item.key"),
                      width: 64,
                      align: "center" as const,
                      render: (_: unknown, f) => (
                        <Form.Item name={[f.name, "key"]} valuePropName="checked" style={{ margin: 0 }}>
                          <Checkbox aria-label={`${t("item.key")} ${f.name + 1}`} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t("item.codeList"),
                      width: 170,
                      render: (_: unknown, f) => (
                        <Form.Item name={[f.name, "codeList"]} style={{ margin: 0 }}>
                          <Select mode="tags" tokenSeparators={["、", ",", "，", ";", "；"]} open={false} suffixIcon={null} aria-label={`${t("item.codeList")} ${f.name + 1}`} placeholder={t("item.codeListHint")} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t("item.description"),
                      render: (_: unknown, f) => (
                        <Form.Item name={[f.name, "description"]} style={{ margin: 0 }}>
                          <Input aria-label={`${t("item.description")} ${f.name + 1}`} maxLength={1000} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t("common.actions"),
                      width: 80,
                      render: (_: unknown, f) => (
                        <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={`${t("item.remove")} ${f.name + 1}`}>
                          {t("item.remove")}
                        </Button>
                      ),
                    },
                  ]}
                />
                <Button type="dashed" icon={<PlusOutlined />} block style={{ marginTop: 8 }} onClick={() => add({ name: "", type: "字符型", sensitive: false, required: false })} data-testid="add-item">
                  {t("item.add")}
                </Button>
              </>
            )}
          </Form.List>
        </Card>

        <div style={{ display: "flex", justifyContent: "flex-end", gap: 8, paddingBottom: 24 }}>
          <Button onClick={() => navigate(-1)}>{t("common.cancel")}</Button>
          <Button icon={<SaveOutlined />} loading={busy === "draft"} disabled={!!busy} onClick={() => save("draft")}>
            {t("editor.saveDraft")}
          </Button>
          <Button type="primary" icon={<SendOutlined />} loading={busy === "submit"} disabled={!!busy} onClick={() => save("submit")}>
            {t("editor.saveAndSubmit")}
          </Button>
        </div>
      </Form>

      <Modal
        open={!!reasonOpen}
        title={t("editor.changeReason")}
        okText={t("common.ok")}
        cancelText={t("common.cancel")}
        onCancel={() => setReasonOpen(undefined)}
        okButtonProps={{ disabled: !reason.trim() }}
        onOk={() => {
          const mode = reasonOpen!;
          setReasonOpen(undefined);
          void save(mode, reason.trim());
        }}
      >
        <Typography.Paragraph type="secondary">{t("editor.changeReasonHelp")}</Typography.Paragraph>
        <label htmlFor="gs-change-reason" style={{ display: "block", marginBottom: 6 }}>
          {t("editor.changeReason")}
        </label>
        <Input.TextArea id="gs-change-reason" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} showCount />
      </Modal>
    </div>
  );
}
