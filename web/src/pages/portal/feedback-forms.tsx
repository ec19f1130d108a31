import { useState } from "react";
import { Alert, App, Button, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Space, Typography } from "antd";
import { CheckOutlined, CloseOutlined, FormOutlined, SendOutlined } from "@ant-design/icons";
import dayjs, { type Dayjs } from "dayjs";
import { api, ApiError, type OpenRequestView, type OpenShowcaseView } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useI18n, type MessageKey } from "../../i18n.ts";
import { DatasetPicker, DEMAND_OUTCOMES, opt, REPORT_OUTCOMES, useDepartments, useFormSubmit, type DemandOutcome, type ReportOutcome } from "./feedback-parts.tsx";

/**
 * The forms of the public's side of the portal, each in a modal: 提出数据需求, 报告数据错误, 提交利用成果
 * (the public), and the staff's: 分派 and 答复 a demand, 答复 an error report, 退回 a showcase submission.
 */

interface DemandValues {
  title: string;
  description: string;
  intendedUse: string;
  orgId?: string;
}

/** 提出数据需求 (signed-in users). */
export function DemandModal({ onClose, onDone }: { onClose(): void; onDone(r: OpenRequestView): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<DemandValues>();
  const depts = useDepartments();
  const { busy, run } = useFormSubmit(form, ["title", "description", "intendedUse", "orgId"]);
  const submit = () =>
    run((v) => api.open.createDemand({ title: v.title.trim(), description: v.description.trim(), intendedUse: v.intendedUse.trim(), ...(v.orgId ? { orgId: v.orgId } : {}) })).then((r) => {
      if (!r) return;
      message.success(t("portal.demand.submitted"));
      onDone(r.demand);
    });
  return (
    <Modal open title={t("portal.demand.new")} okText={t("portal.fb.submit")} cancelText={t("common.cancel")} onOk={submit} onCancel={onClose} okButtonProps={{ loading: busy, "data-testid": "demand-submit" }} width={640} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t("portal.demand.help")}</Typography.Paragraph>
      <Form<DemandValues> form={form} layout="vertical" data-testid="demand-form">
        <Form.Item name="title" label={t("portal.demand.title")} rules={[{ required: true, whitespace: true, message: t("portal.demand.titleRequired") }]}>
          <Input maxLength={200} showCount placeholder={t("portal.demand.titlePlaceholder")} />
        </Form.Item>
        <Form.Item name="description" label={t("portal.demand.description")} rules={[{ required: true, whitespace: true, message: t("portal.demand.descriptionRequired") }]}>
          <Input.TextArea rows={4} maxLength={4000} showCount placeholder={t("portal.demand.descriptionPlaceholder")} />
        </Form.Item>
        <Form.Item name="intendedUse" label={t("portal.demand.intendedUse")} rules={[{ required: true, whitespace: true, message: t("portal.demand.intendedUseRequired") }]}>
          <Input.TextArea rows={2} maxLength={2000} showCount placeholder={t("portal.demand.intendedUsePlaceholder")} />
        </Form.Item>
        <Form.Item name="orgId" label={t("portal.demand.org")} extra={t("portal.demand.orgHelp")} style={{ marginBottom: 0 }}>
          <Select allowClear showSearch={{ optionFilterProp: "label" }} loading={depts.loading} options={depts.items.map((o) => ({ value: o.id, label: o.name }))} placeholder={t("portal.demand.orgPlaceholder")} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 分派: the data administration routes a demand to a department. */
export function AssignModal({ r, onClose, onDone }: { r: OpenRequestView; onClose(): void; onDone(r: OpenRequestView): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ orgId: string; note?: string }>();
  const depts = useDepartments();
  const { busy, run } = useFormSubmit(form, ["orgId", "note"]);
  const submit = () =>
    run((v) => api.open.assignDemand(r.id, { orgId: v.orgId, ...(opt(v.note) ? { note: opt(v.note) } : {}) })).then((x) => {
      if (!x) return;
      message.success(t("portal.demand.assigned", { org: x.demand.department?.name ?? "" }));
      onDone(x.demand);
    });
  return (
    <Modal open title={t("portal.demand.assignTitle", { title: r.title })} okText={t("portal.demand.assign")} cancelText={t("common.cancel")} onOk={submit} onCancel={onClose} okButtonProps={{ loading: busy, "data-testid": "assign-submit" }} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ orgId: r.department?.id ?? r.requestedOrg?.id }} data-testid="assign-form">
        <Form.Item name="orgId" label={t("portal.demand.assignTo")} rules={[{ required: true, message: t("portal.demand.assignRequired") }]}>
          <Select showSearch={{ optionFilterProp: "label" }} loading={depts.loading} options={depts.items.map((o) => ({ value: o.id, label: o.name }))} data-testid="assign-org" />
        </Form.Item>
        <Form.Item name="note" label={t("portal.demand.assignNote")} extra={t("portal.demand.assignNoteHelp")} style={{ marginBottom: 0 }}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface DemandAnswerValues {
  outcome: DemandOutcome;
  plan?: string;
  plannedDate?: Dayjs;
  url?: string;
  reason?: string;
  note?: string;
}

/** 答复: accepted (plan, planned date), available (a link), declined (a reason); an accepted one may later become available. */
export function DemandAnswerModal({ r, onClose, onDone }: { r: OpenRequestView; onClose(): void; onDone(r: OpenRequestView): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<DemandAnswerValues>();
  const fulfil = r.answer?.outcome === "accepted";
  const outcome = Form.useWatch("outcome", form) ?? (fulfil ? "available" : undefined);
  const { busy, run } = useFormSubmit(form, ["outcome", "plan", "plannedDate", "url", "reason", "note"]);
  const submit = () =>
    run((v) =>
      api.open.answerDemand(r.id, {
        outcome: v.outcome,
        ...(v.outcome === "accepted" ? { plan: opt(v.plan), plannedDate: v.plannedDate?.format("YYYY-MM-DD") } : {}),
        ...(v.outcome === "available" ? { url: opt(v.url) } : {}),
        ...(v.outcome === "declined" ? { reason: opt(v.reason) } : {}),
        ...(opt(v.note) ? { note: opt(v.note) } : {}),
      }),
    ).then((x) => {
      if (!x) return;
      message.success(t("portal.fb.answered"));
      onDone(x.demand);
    });
  const need = (msg: MessageKey) => [{ required: true, whitespace: true, message: t(msg) }];
  return (
    <Modal open title={t(fulfil ? "portal.demand.fulfilTitle" : "portal.demand.answerTitle", { title: r.title })} okText={t("portal.fb.publishAnswer")} cancelText={t("common.cancel")} onOk={submit} onCancel={onClose} okButtonProps={{ loading: busy, "data-testid": "answer-submit" }} width={640} destroyOnHidden>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t("portal.fb.answerPublic")} />
      <Form<DemandAnswerValues> form={form} layout="vertical" initialValues={fulfil ? { outcome: "available" } : undefined} data-testid="answer-form">
        <Form.Item name="outcome" label={t("portal.fb.outcome")} rules={[{ required: true, message: t("portal.fb.outcomeRequired") }]}>
          <Radio.Group optionType="button" buttonStyle="solid">
            {DEMAND_OUTCOMES.map((o) => (
              <Radio.Button key={o} value={o} disabled={fulfil && o !== "available"}>
                <span data-testid={`outcome-${o}`}>{t(`portal.fb.outcome.${o}` as MessageKey)}</span>
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        {outcome === "accepted" && (
          <>
            <Form.Item name="plan" label={t("portal.fb.plan")} rules={need("portal.demand.planRequired")}>
              <Input.TextArea rows={3} maxLength={2000} placeholder={t("portal.demand.planPlaceholder")} />
            </Form.Item>
            <Form.Item name="plannedDate" label={t("portal.fb.plannedDate")} rules={[{ required: true, message: t("portal.demand.plannedDateRequired") }]}>
              <DatePicker disabledDate={(d) => d.isBefore(dayjs(), "day")} style={{ width: 200 }} data-testid="planned-date" />
            </Form.Item>
          </>
        )}
        {outcome === "available" && (
          <Form.Item name="url" label={t("portal.fb.url")} extra={t("portal.demand.urlHelp")} rules={[...need("portal.demand.urlRequired"), { pattern: /^(https?:\/\/\S+|\/\S*)$/i, message: t("portal.demand.urlInvalid") }]}>
            <Input maxLength={500} placeholder="/open/datasets/…  https://…" />
          </Form.Item>
        )}
        {outcome === "declined" && (
          <Form.Item name="reason" label={t("portal.fb.reason")} rules={need("portal.demand.reasonRequired")}>
            <Input.TextArea rows={3} maxLength={2000} placeholder={t("portal.demand.reasonPlaceholder")} />
          </Form.Item>
        )}
        <Form.Item name="note" label={t("portal.fb.note")} style={{ marginBottom: 0 }}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ReportValues {
  item?: string;
  rowRef?: string;
  description: string;
  contact?: string;
}

/** 报告数据错误 on an open dataset: anyone, signed in or not. */
export function ReportModal({ dataset, onClose, onDone }: { dataset: { id: string; title: string; items: { name: string }[] }; onClose(): void; onDone(r: OpenRequestView): void }) {
  const { t } = useI18n();
  const { user } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReportValues>();
  const { busy, run } = useFormSubmit(form, ["item", "rowRef", "description", "contact"]);
  const submit = () =>
    run((v) =>
      api.open.createReport({ dataset: dataset.id, description: v.description.trim(), ...(v.item ? { item: v.item } : {}), ...(opt(v.rowRef) ? { rowRef: opt(v.rowRef) } : {}), ...(opt(v.contact) ? { contact: opt(v.contact) } : {}) }),
    ).then((x) => {
      if (!x) return;
      message.success(t("portal.report.submitted"));
      onDone(x.report);
    });
  return (
    <Modal open title={t("portal.report.title", { name: dataset.title })} okText={t("portal.fb.submit")} cancelText={t("common.cancel")} onOk={submit} onCancel={onClose} okButtonProps={{ loading: busy, "data-testid": "report-submit" }} width={620} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t(user ? "portal.report.help" : "portal.report.helpAnonymous")}</Typography.Paragraph>
      <Form<ReportValues> form={form} layout="vertical" data-testid="report-form">
        <Space.Compact block style={{ gap: 12 }}>
          <Form.Item name="item" label={t("portal.report.item")} style={{ flex: 1 }}>
            <Select allowClear showSearch={{ optionFilterProp: "label" }} options={dataset.items.map((i) => ({ value: i.name, label: i.name }))} placeholder={t("portal.report.itemPlaceholder")} data-testid="report-item" />
          </Form.Item>
          <Form.Item name="rowRef" label={t("portal.report.rowRef")} style={{ flex: 1 }}>
            <Input maxLength={200} placeholder={t("portal.report.rowRefPlaceholder")} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="description" label={t("portal.report.description")} rules={[{ required: true, whitespace: true, message: t("portal.report.descriptionRequired") }]}>
          <Input.TextArea rows={4} maxLength={4000} showCount placeholder={t("portal.report.descriptionPlaceholder")} />
        </Form.Item>
        <Form.Item
          name="contact"
          label={t("portal.report.contact")}
          extra={t("portal.report.contactHelp")}
          rules={[{ pattern: /^(1[3-9]\d{9}|[^\s@]+@[^\s@]+\.[^\s@]+)$/, message: t("portal.report.contactInvalid") }]}
          style={{ marginBottom: 0 }}
        >
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ReportAnswerValues {
  outcome: ReportOutcome;
  note?: string;
  version?: number | null;
  reason?: string;
}

/** The provider answers an error report: fixed (optionally naming the version with the fix), or not an error (with a reason). */
export function ReportAnswerModal({ r, onClose, onDone }: { r: OpenRequestView; onClose(): void; onDone(r: OpenRequestView): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReportAnswerValues>();
  const outcome = Form.useWatch("outcome", form);
  const { busy, run } = useFormSubmit(form, ["outcome", "note", "version", "reason"]);
  const submit = () =>
    run((v) =>
      api.open.answerReport(r.id, {
        outcome: v.outcome,
        ...(opt(v.note) ? { note: opt(v.note) } : {}),
        ...(v.outcome === "fixed" && v.version ? { version: v.version } : {}),
        ...(v.outcome === "not_error" ? { reason: opt(v.reason) } : {}),
      }),
    ).then((x) => {
      if (!x) return;
      message.success(t("portal.fb.answered"));
      onDone(x.report);
    });
  return (
    <Modal open title={t("portal.report.answerTitle", { title: r.title })} okText={t("portal.fb.publishAnswer")} cancelText={t("common.cancel")} onOk={submit} onCancel={onClose} okButtonProps={{ loading: busy, "data-testid": "answer-submit" }} width={600} destroyOnHidden>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t("portal.fb.answerPublic")} />
      <Form<ReportAnswerValues> form={form} layout="vertical" data-testid="answer-form">
        <Form.Item name="outcome" label={t("portal.fb.outcome")} rules={[{ required: true, message: t("portal.fb.outcomeRequired") }]}>
          <Radio.Group optionType="button" buttonStyle="solid">
            {REPORT_OUTCOMES.map((o) => (
              <Radio.Button key={o} value={o}>
                <span data-testid={`outcome-${o}`}>{t(`portal.fb.outcome.${o}` as MessageKey)}</span>
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        {outcome === "fixed" && (
          <Form.Item name="version" label={t("portal.report.version")} extra={t("portal.report.versionHelp", { v: r.dataVersion ?? "—" })}>
            <InputNumber min={(r.dataVersion ?? 0) + 1} precision={0} prefix="v" style={{ width: 160 }} />
          </Form.Item>
        )}
        {outcome === "not_error" && (
          <Form.Item name="reason" label={t("portal.fb.reason")} rules={[{ required: true, whitespace: true, message: t("portal.report.reasonRequired") }]}>
            <Input.TextArea rows={3} maxLength={2000} placeholder={t("portal.report.reasonPlaceholder")} />
          </Form.Item>
        )}
        <Form.Item name="note" label={t(outcome === "fixed" ? "portal.report.fixNote" : "portal.fb.note")} style={{ marginBottom: 0 }}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * The staff's buttons on a demand or an error report: 分派 (the data administration, unanswered
 * demands) and 答复 (the administration, or the data officers of the department it is with).
 */
export function RequestActions({ r, onDone, size }: { r: OpenRequestView; onDone(r: OpenRequestView): void; size?: "small" }) {
  const { t } = useI18n();
  const { user, hasRole } = useAuth();
  const [open, setOpen] = useState<"assign" | "answer">();
  const admin = hasRole("platform_admin");
  const ownDept = hasRole("data_officer") && !!user?.org && r.department?.id === user.org.id;
  const mayAnswer = admin || ownDept;
  const canAssign = admin && r.kind === "demand" && !r.answer;
  const canAnswer = mayAnswer && (!r.answer || (r.kind === "demand" && r.answer.outcome === "accepted"));
  if (!canAssign && !canAnswer) return null;
  const done = (x: OpenRequestView) => {
    setOpen(undefined);
    onDone(x);
  };
  return (
    <Space size={6} wrap>
      {canAssign && (
        <Button size={size} icon={<SendOutlined />} onClick={() => setOpen("assign")} data-testid={`assign-${r.id}`}>
          {t(r.department ? "portal.demand.reassign" : "portal.demand.assign")}
        </Button>
      )}
      {canAnswer && (
        <Button size={size} type="primary" icon={<FormOutlined />} onClick={() => setOpen("answer")} data-testid={`answer-${r.id}`}>
          {t(r.answer ? "portal.demand.fulfil" : "portal.fb.answer")}
        </Button>
      )}
      {open === "assign" && <AssignModal r={r} onClose={() => setOpen(undefined)} onDone={done} />}
      {open === "answer" && r.kind === "demand" && <DemandAnswerModal r={r} onClose={() => setOpen(undefined)} onDone={done} />}
      {open === "answer" && r.kind === "report" && <ReportAnswerModal r={r} onClose={() => setOpen(undefined)} onDone={done} />}
    </Space>
  );
}

interface ShowcaseValues {
  name: string;
  description: string;
  url: string;
  datasets: string[];
  organisation?: string;
}

/** 提交利用成果 (signed-in users): published once the data administration approves it. */
export function ShowcaseModal({ initialDataset, onClose, onDone }: { initialDataset?: { value: string; label: string }; onClose(): void; onDone(a: OpenShowcaseView): void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<ShowcaseValues>();
  const { busy, run } = useFormSubmit(form, ["name", "description", "url", "datasets", "organisation"]);
  const submit = () =>
    run((v) => api.open.submitShowcase({ name: v.name.trim(), description: v.description.trim(), url: v.url.trim(), datasets: v.datasets, ...(opt(v.organisation) ? { organisation: opt(v.organisation) } : {}) })).then((x) => {
      if (!x) return;
      message.success(t("portal.showcase.submitted"));
      onDone(x.application);
    });
  return (
    <Modal open title={t("portal.showcase.new")} okText={t("portal.fb.submit")} cancelText={t("common.cancel")} onOk={submit} onCancel={onClose} okButtonProps={{ loading: busy, "data-testid": "showcase-submit" }} width={640} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t("portal.showcase.help")}</Typography.Paragraph>
      <Form<ShowcaseValues> form={form} layout="vertical" initialValues={initialDataset ? { datasets: [initialDataset.value] } : undefined} data-testid="showcase-form">
        <Form.Item name="name" label={t("portal.showcase.name")} rules={[{ required: true, whitespace: true, message: t("portal.showcase.nameRequired") }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="description" label={t("portal.showcase.description")} rules={[{ required: true, whitespace: true, message: t("portal.showcase.descriptionRequired") }]}>
          <Input.TextArea rows={4} maxLength={4000} showCount />
        </Form.Item>
        <Form.Item name="url" label={t("portal.showcase.url")} rules={[{ required: true, whitespace: true, message: t("portal.showcase.urlRequired") }, { pattern: /^https?:\/\/[^\s/$.?#][^\s]*$/i, message: t("portal.showcase.urlInvalid") }]}>
          <Input maxLength={500} placeholder="https://" />
        </Form.Item>
        <Form.Item name="datasets" label={t("portal.showcase.datasets")} extra={t("portal.showcase.datasetsHelp")} rules={[{ required: true, type: "array", min: 1, message: t("portal.showcase.datasetsRequired") }, { type: "array", max: 20, message: t("portal.showcase.datasetsMax") }]}>
          <DatasetPicker mode="multiple" testId="showcase-datasets" initial={initialDataset ? [initialDataset] : undefined} />
        </Form.Item>
        <Form.Item name="organisation" label={t("portal.showcase.organisation")} extra={t("portal.showcase.organisationHelp")} style={{ marginBottom: 0 }}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The data administration's review of a showcase submission: approve, or return with a reason. */
export function ShowcaseReview({ a, onDone, size }: { a: OpenShowcaseView; onDone(a: OpenShowcaseView): void; size?: "small" }) {
  const { t, msg } = useI18n();
  const { message } = App.useApp();
  const [rejecting, setRejecting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const { busy: rejectBusy, run } = useFormSubmit(form, ["reason"]);
  const approve = async () => {
    setBusy(true);
    try {
      const x = await api.open.reviewShowcase(a.id, { decision: "approve" });
      message.success(t("portal.showcase.approved"));
      onDone(x.application);
    } catch (e) {
      message.error(e instanceof ApiError ? msg(e.text) : String(e));
    } finally {
      setBusy(false);
    }
  };
  const reject = () =>
    run((v) => api.open.reviewShowcase(a.id, { decision: "reject", reason: v.reason.trim() })).then((x) => {
      if (!x) return;
      setRejecting(false);
      message.success(t("portal.showcase.rejected"));
      onDone(x.application);
    });
  if (a.review?.status === "approved") return null;
  return (
    <Space size={6}>
      <Button size={size} type="primary" icon={<CheckOutlined />} loading={busy} onClick={approve} data-testid={`approve-${a.id}`}>
        {t("portal.showcase.approve")}
      </Button>
      {a.review?.status !== "rejected" && (
        <Button size={size} danger icon={<CloseOutlined />} onClick={() => setRejecting(true)} data-testid={`reject-${a.id}`}>
          {t("portal.showcase.reject")}
        </Button>
      )}
      {rejecting && (
        <Modal open title={t("portal.showcase.rejectTitle", { name: a.name })} okText={t("portal.showcase.reject")} okButtonProps={{ danger: true, loading: rejectBusy, "data-testid": "reject-submit" }} cancelText={t("common.cancel")} onOk={reject} onCancel={() => setRejecting(false)} destroyOnHidden>
          <Form form={form} layout="vertical">
            <Form.Item name="reason" label={t("portal.fb.reason")} rules={[{ required: true, whitespace: true, message: t("portal.showcase.reasonRequired") }]} style={{ marginBottom: 0 }}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
          </Form>
        </Modal>
      )}
    </Space>
  );
}
