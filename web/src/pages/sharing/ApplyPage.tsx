import { useState } from "react";
import { Alert, App, Button, Card, Checkbox, Col, DatePicker, Descriptions, Form, Input, InputNumber, Result, Row, Select, Skeleton, Space, Tag, Typography } from "antd";
import { SendOutlined } from "@ant-design/icons";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import dayjs, { type Dayjs } from "dayjs";
import { api, ApiError, type ShareApplicationInput } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useAsync } from "../../hooks.ts";
import { useI18n } from "../../i18n.ts";
import { ErrorAlert, GradeTag, PageTitle, ShareTag } from "../../components/tags.tsx";
import { FilterRowsEditor, showServerError, toFilters, type FilterRow } from "./parts.tsx";

interface ApplyValues {
  items: string[];
  purpose: string;
  legalBasis: string;
  matter?: string;
  period: [Dayjs, Dayjs];
  expectedVolume: number;
  rowFilter?: FilterRow[];
  ratePerMinute: number;
  demandId?: string;
}

/** The application's fields as the API names them → the form's. */
const FORM_FIELD: Record<string, string> = {
  items: "items", purpose: "purpose", legalBasis: "legalBasis", matter: "matter", periodFrom: "period", periodTo: "period",
  expectedVolume: "expectedVolume", rowFilter: "rowFilter", ratePerMinute: "ratePerMinute", demandId: "demandId",
};

/** 申请共享: one catalog entry's data items, for a purpose, on a legal basis, for a period (/sharing/apply?entry=ID). */
export default function ApplyPage() {
  const [sp] = useSearchParams();
  const entryId = sp.get("entry") ?? "";
  const { t, term, msg } = useI18n();
  const { user } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<ApplyValues>();
  const [busy, setBusy] = useState(false);
  const [topError, setTopError] = useState<ApiError>();
  const entry = useAsync(() => (entryId ? api.catalog.get(entryId) : Promise.resolve(null)), [entryId]);
  const settings = useAsync(() => api.sharing.settings().catch(() => null), []);
  const demands = useAsync(() => api.sharing.demands({ mine: true }).catch(() => ({ items: [] })), []);

  if (!entryId)
    return (
      <Result
        status="info"
        title={t("sharing.apply.chooseEntry")}
        extra={
          <Link to="/catalog">
            <Button type="primary">{t("nav.catalog")}</Button>
          </Link>
        }
      />
    );
  if (entry.loading && !entry.data) return <Card><Skeleton active paragraph={{ rows: 12 }} /></Card>;
  if (entry.error && !entry.data) {
    if (entry.error.status === 404) return <Result status="404" title="404" subTitle={msg(entry.error.text)} />;
    return <ErrorAlert error={entry.error} onRetry={entry.reload} />;
  }
  const e = entry.data!.entry;
  const c = e.content;
  const items = c.items ?? [];
  const notShared = c.shareType === "不予共享";
  const own = !!user?.org && user.org.id === e.provider?.id;
  const unconditional = c.shareType === "无条件共享";

  const submit = async () => {
    let v: ApplyValues;
    try {
      v = await form.validateFields();
    } catch (err) {
      const first = (err as { errorFields?: { name: (string | number)[] }[] }).errorFields?.[0];
      if (first) form.scrollToField(first.name as never, { block: "center" });
      return;
    }
    setBusy(true);
    setTopError(undefined);
    const chosen = new Set(v.items);
    const body: ShareApplicationInput = {
      entryId: e.id,
      items: items.map((i) => i.name).filter((n) => chosen.has(n)),
      purpose: v.purpose.trim(),
      legalBasis: v.legalBasis.trim(),
      ...(v.matter?.trim() ? { matter: v.matter.trim() } : {}),
      periodFrom: v.period[0].format("YYYY-MM-DD"),
      periodTo: v.period[1].format("YYYY-MM-DD"),
      expectedVolume: v.expectedVolume,
      rowFilter: toFilters(v.rowFilter),
      ratePerMinute: v.ratePerMinute,
      ...(v.demandId ? { demandId: v.demandId } : {}),
    };
    try {
      const app = await api.sharing.apply(body);
      message.success(t(app.status === "granted" ? "sharing.apply.granted" : "sharing.apply.submitted"));
      navigate(`/sharing/applications/${app.id}`);
    } catch (err) {
      if (!(err instanceof ApiError)) {
        message.error(String(err));
        return;
      }
      const text = msg(err.text);
      const onField = showServerError(form, err, text, (p) => {
        const top = FORM_FIELD[String(p[0])];
        if (!top) return null;
        return top === "rowFilter" && p.length >= 3 ? p : [top];
      });
      if (!onField) setTopError(err);
      message.error(text);
    } finally {
      setBusy(false);
    }
  };

  const blocked = notShared || own;

  return (
    <div>
      <PageTitle>{t("sharing.apply.title")}</PageTitle>
      <Card style={{ marginBottom: 16 }} size="small">
        <Descriptions size="small" column={{ xs: 1, md: 2 }} styles={{ label: { whiteSpace: "nowrap" } }}>
          <Descriptions.Item label={t("field.name")}>
            <Link to={`/catalog/${e.id}`} data-testid="apply-entry">
              {c.name}
            </Link>
          </Descriptions.Item>
          <Descriptions.Item label={t("field.code")}>
            <Typography.Text code>{e.code}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t("sharing.provider")}>{e.provider?.name}</Descriptions.Item>
          <Descriptions.Item label={t("field.shareType")}>
            <Space size={4}>
              <ShareTag value={c.shareType} />
              <GradeTag value={c.grade} level={c.generalLevel} />
            </Space>
          </Descriptions.Item>
          {c.shareConditions && (
            <Descriptions.Item label={t("field.shareConditions")} span={2}>
              {c.shareConditions}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      {notShared && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={t("sharing.apply.notShared")} description={c.notShareBasis} />}
      {own && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t("sharing.apply.own")} />}
      {!blocked && (
        <Alert
          type={unconditional ? "success" : "info"}
          showIcon
          style={{ marginBottom: 16 }}
          title={unconditional ? t("sharing.apply.unconditionalHelp") : t("sharing.apply.conditionalHelp", { n: settings.data?.reviewDays ?? 5 })}
        />
      )}
      {topError && <ErrorAlert error={topError} />}
      <Card>
        <Form<ApplyValues>
          form={form}
          layout="vertical"
          disabled={blocked}
          style={{ maxWidth: 900 }}
          initialValues={{ items: [], period: [dayjs().startOf("day"), dayjs().add(1, "year").startOf("day")], ratePerMinute: 60, expectedVolume: 1000, rowFilter: [] }}
          data-testid="apply-form"
        >
          <Form.Item
            name="items"
            label={t("sharing.items")}
            extra={t("sharing.apply.itemsHelp")}
            rules={[{ required: true, type: "array", min: 1, message: t("sharing.apply.itemsRequired") }]}
          >
            <Checkbox.Group style={{ width: "100%" }} data-testid="apply-items">
              <Row gutter={[8, 8]}>
                {items.map((i) => (
                  <Col key={i.name} xs={24} sm={12} md={8}>
                    <Checkbox value={i.name}>
                      {i.name}
                      <Typography.Text type="secondary" style={{ marginInlineStart: 4, fontSize: 12 }}>
                        {term(i.type)}
                      </Typography.Text>
                      {i.sensitive && (
                        <Tag color="orange" style={{ marginInlineStart: 6 }}>
                          {t("sharing.apply.sensitive")}
                        </Tag>
                      )}
                    </Checkbox>
                  </Col>
                ))}
              </Row>
            </Checkbox.Group>
          </Form.Item>
          <Form.Item name="purpose" label={t("sharing.purpose")} rules={[{ required: true, whitespace: true, message: t("sharing.apply.purposeRequired") }]}>
            <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t("sharing.apply.purposePlaceholder")} />
          </Form.Item>
          <Form.Item name="legalBasis" label={t("sharing.legalBasis")} rules={[{ required: true, whitespace: true, message: t("sharing.apply.legalBasisRequired") }]}>
            <Input.TextArea rows={2} maxLength={1000} showCount placeholder={t("sharing.apply.legalBasisPlaceholder")} />
          </Form.Item>
          <Form.Item name="matter" label={t("sharing.matter")} extra={t("sharing.apply.matterHelp")}>
            <Input maxLength={500} placeholder={t("sharing.apply.matterPlaceholder")} />
          </Form.Item>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="period" label={t("sharing.period")} rules={[{ required: true, message: t("sharing.apply.periodRequired") }]}>
                <DatePicker.RangePicker style={{ width: "100%" }} format="YYYY-MM-DD" disabledDate={(d) => d.isBefore(dayjs().startOf("day"))} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="expectedVolume" label={t("sharing.expectedVolume")} rules={[{ required: true, message: t("sharing.apply.volumeRequired") }]}>
                <InputNumber min={1} max={1e12} precision={0} style={{ width: "100%" }} suffix={t("sharing.unit.rows")} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="ratePerMinute" label={t("sharing.ratePerMinute")} rules={[{ required: true, message: t("sharing.apply.rateRequired") }]}>
                <InputNumber min={1} max={6000} precision={0} style={{ width: "100%" }} suffix={t("sharing.unit.perMinute")} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item label={t("sharing.rowFilter")} extra={t("sharing.apply.rowFilterHelp")}>
            <FilterRowsEditor name="rowFilter" columns={items.map((i) => i.name)} max={20} testId="apply-row-filter" />
          </Form.Item>
          {!!demands.data?.items.length && (
            <Form.Item name="demandId" label={t("sharing.apply.demand")}>
              <Select
                allowClear
                placeholder={t("sharing.apply.demandPlaceholder")}
                options={demands.data.items.map((d) => ({ value: d.id, label: d.title }))}
              />
            </Form.Item>
          )}
          <Form.Item style={{ marginBottom: 0 }}>
            <Space>
              <Button type="primary" icon={<SendOutlined />} loading={busy} onClick={submit} data-testid="apply-submit">
                {t("sharing.apply.submit")}
              </Button>
              <Link to={`/catalog/${e.id}`}>
                <Button disabled={false}>{t("common.cancel")}</Button>
              </Link>
            </Space>
          </Form.Item>
        </Form>
      </Card>
    </div>
  );
}
