import { useEffect, useId, useMemo, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { ApiError, errorMessage } from '../../api';
import { graphql } from '../../gql';
import type { SegmentPreviewQuery } from '../../gql/graphql';
import { plural } from '../../format';
import { useMutation, useQuery } from '../../hooks';
import { Button, ConfirmDialog, ErrorState, FormError, PageHeader, Skeleton, TextInput, Time, useToast } from '../../ui';
import { useViewer } from '../../viewer';
import { useSurveyNames } from '../users/parts';
import {
  DEVICES,
  MAX_DEPTH,
  depthOf,
  fromJson,
  inputFor,
  newCondition,
  newGroup,
  nodeForField,
  operatorsFor,
  problems,
  replace,
  toJson,
  withField,
  type AttrType,
  type Condition,
  type Group,
  type Node,
} from './rule';
import './segments.css';

const SegmentContext = graphql(`
  query SegmentContext($siteId: ID!) {
    userAttributes(siteId: $siteId) { name type }
  }
`);

const SegmentLoad = graphql(`
  query SegmentLoad($id: ID!) {
    segment(id: $id) { id siteId name rule createdAt updatedAt }
  }
`);

const SegmentPreview = graphql(`
  query SegmentPreview($siteId: ID!, $rule: JSON!) {
    users(siteId: $siteId, rule: $rule, first: 10) {
      totalCount
      edges { node { userId lastSeen } }
    }
  }
`);

const CreateSegment = graphql(`
  mutation CreateSegment($input: CreateSegmentInput!) {
    createSegment(input: $input) { id name }
  }
`);

const UpdateSegment = graphql(`
  mutation UpdateSegment($id: ID!, $input: UpdateSegmentInput!) {
    updateSegment(id: $id, input: $input) { id name rule updatedAt }
  }
`);

const DeleteSegment = graphql(`
  mutation DeleteSegment($id: ID!) {
    deleteSegment(id: $id)
  }
`);

interface Ctx {
  attributes: ReadonlyMap<string, AttrType>;
  surveys: Map<string, string>;
  readOnly: boolean;
  problems: Map<number, string>;
  /** The node a server error points at, and its message. */
  serverError: { node: number | null; message: string } | null;
  root: Group;
  set: (nid: number, next: Node | null) => void;
}

const VISIT_FIELDS: [string, string][] = [
  ['visit:DEVICE', 'Device'],
  ['visit:COUNTRY', 'Country'],
  ['visit:FIRST_SEEN', 'First seen'],
  ['visit:LAST_SEEN', 'Last seen'],
  ['visit:SESSIONS', 'Sessions'],
];

/** A labelled native control in a condition row (labels visible, small). */
function Labelled({ label, children }: { label: string; children: (id: string) => preact.ComponentChildren }) {
  const id = useId();
  return (
    <div class="seg-field">
      <label for={id}>{label}</label>
      {children(id)}
    </div>
  );
}

function ConditionRow({ c, index, ctx }: { c: Condition; index: number; ctx: Ctx }) {
  const { attributes } = ctx;
  const ops = operatorsFor(c.field, attributes);
  const input = inputFor(c, attributes);
  const problem = ctx.problems.get(c.id);
  const server = ctx.serverError?.node === c.id ? ctx.serverError.message : null;
  const update = (patch: Partial<Condition>) => ctx.set(c.id, { ...c, ...patch });
  const valueType = input === 'date' || input === 'date2' ? 'date' : input === 'number' || input === 'number2' || input === 'days' ? 'number' : 'text';
  return (
    <li class={`seg-condition${problem || server ? ' has-problem' : ''}`}>
      <div role="group" aria-label={`Condition ${index + 1}`}>
      <div class="seg-row">
        <Labelled label="Field">
          {(id) => (
            <select id={id} value={c.field} disabled={ctx.readOnly} onChange={(e) => ctx.set(c.id, withField(c, e.currentTarget.value, attributes))}>
              {attributes.size ? (
                <optgroup label="Attributes">
                  {[...attributes].map(([name, t]) => (
                    <option key={name} value={`attr:${name}`}>
                      {name} ({t.toLowerCase()})
                    </option>
                  ))}
                </optgroup>
              ) : null}
              {c.field.startsWith('attr:') && !attributes.has(c.field.slice(5)) ? <option value={c.field}>{c.field.slice(5)} (unknown)</option> : null}
              <optgroup label="Visits">
                {VISIT_FIELDS.map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </optgroup>
              <optgroup label="Surveys">
                <option value="responded">Responded to a survey</option>
                <option value="sentiment">Sentiment of an answer</option>
              </optgroup>
            </select>
          )}
        </Labelled>
        {c.field === 'responded' ? (
          <>
            <Labelled label="Survey">
              {(id) => (
                <select id={id} value={c.value} disabled={ctx.readOnly} onChange={(e) => update({ value: e.currentTarget.value })}>
                  <option value="">Any survey or poll</option>
                  {[...ctx.surveys].map(([sid, name]) => (
                    <option key={sid} value={sid}>
                      {name}
                    </option>
                  ))}
                  {c.value && !ctx.surveys.has(c.value) ? <option value={c.value}>Survey {c.value}</option> : null}
                </select>
              )}
            </Labelled>
            <Labelled label="Within the last (days)">
              {(id) => (
                <input
                  id={id}
                  type="number"
                  min={1}
                  placeholder="ever"
                  value={c.value2}
                  disabled={ctx.readOnly}
                  onInput={(e) => update({ value2: e.currentTarget.value })}
                />
              )}
            </Labelled>
          </>
        ) : (
          <Labelled label="Operator">
            {(id) => (
              <select id={id} value={c.operator} disabled={ctx.readOnly} onChange={(e) => update({ operator: e.currentTarget.value })}>
                {ops.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            )}
          </Labelled>
        )}
        {input === 'device' ? (
          <Labelled label="Value">
            {(id) => (
              <select id={id} value={c.value} disabled={ctx.readOnly} onChange={(e) => update({ value: e.currentTarget.value })}>
                <option value="">Pick…</option>
                {DEVICES.map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
              </select>
            )}
          </Labelled>
        ) : input !== 'none' ? (
          <Labelled label={input === 'list' ? 'Values (comma-separated)' : input === 'days' ? 'Days' : 'Value'}>
            {(id) => (
              <input
                id={id}
                type={valueType}
                value={c.value}
                maxLength={input === 'country' ? 2 : 1000}
                placeholder={input === 'country' ? 'FR' : undefined}
                disabled={ctx.readOnly}
                onInput={(e) => update({ value: e.currentTarget.value })}
              />
            )}
          </Labelled>
        ) : null}
        {input === 'number2' || input === 'date2' ? (
          <Labelled label="and">
            {(id) => <input id={id} type={valueType} value={c.value2} disabled={ctx.readOnly} onInput={(e) => update({ value2: e.currentTarget.value })} />}
          </Labelled>
        ) : null}
        {!ctx.readOnly ? (
          <Button class="seg-remove" onClick={() => ctx.set(c.id, null)} aria-label={`Remove condition ${index + 1}`}>
            Remove
          </Button>
        ) : null}
      </div>
      {problem || server ? <p class="field-error">{server ?? problem}</p> : null}
      </div>
    </li>
  );
}

function GroupBox({ g, ctx, path }: { g: Group; ctx: Ctx; path: string }) {
  const depth = depthOf(ctx.root, g.id);
  const isRoot = g.id === ctx.root.id;
  const problem = ctx.problems.get(g.id);
  const server = ctx.serverError?.node === g.id ? ctx.serverError.message : null;
  const firstField = ctx.attributes.size ? `attr:${[...ctx.attributes.keys()][0]}` : 'visit:DEVICE';
  const add = (n: Node) => ctx.set(g.id, { ...g, children: [...g.children, n] });
  return (
    <fieldset class={`seg-group${isRoot ? ' seg-root' : ''}`}>
      <legend class="visually-hidden">{isRoot ? 'Rules' : `Group ${path}`}</legend>
      <div class="seg-group-head">
        <Labelled label="Match">
          {(id) => (
            <select id={id} value={g.op} disabled={ctx.readOnly} onChange={(e) => ctx.set(g.id, { ...g, op: e.currentTarget.value as Group['op'] })}>
              <option value="and">All of these (AND)</option>
              <option value="or">Any of these (OR)</option>
            </select>
          )}
        </Labelled>
        {!isRoot && !ctx.readOnly ? (
          <Button class="seg-remove" onClick={() => ctx.set(g.id, null)} aria-label={`Remove group ${path}`}>
            Remove group
          </Button>
        ) : null}
      </div>
      <ol class="seg-children">
        {g.children.map((n, i) =>
          n.kind === 'group' ? (
            <li key={n.id} class="seg-child">
              <span class="seg-joiner" aria-hidden="true">
                {i > 0 ? g.op.toUpperCase() : ''}
              </span>
              <GroupBox g={n} ctx={ctx} path={`${path}.${i + 1}`} />
            </li>
          ) : n.kind === 'cond' ? (
            <li key={n.id} class="seg-child">
              <span class="seg-joiner" aria-hidden="true">
                {i > 0 ? g.op.toUpperCase() : ''}
              </span>
              <ol class="seg-single">
                <ConditionRow c={n} index={i} ctx={ctx} />
              </ol>
            </li>
          ) : (
            <li key={n.id} class="seg-child">
              <span class="seg-joiner" aria-hidden="true">
                {i > 0 ? g.op.toUpperCase() : ''}
              </span>
              <div class="seg-raw">
                <p class="muted">A condition this builder cannot edit (kept as it is):</p>
                <code>{JSON.stringify(n.json)}</code>
                {!ctx.readOnly ? (
                  <Button class="seg-remove" onClick={() => ctx.set(n.id, null)}>
                    Remove
                  </Button>
                ) : null}
              </div>
            </li>
          ),
        )}
      </ol>
      {problem || server ? <p class="field-error">{server ?? problem}</p> : null}
      {!ctx.readOnly ? (
        <div class="actions seg-add">
          <Button onClick={() => add(newCondition(firstField, ctx.attributes))}>Add a condition</Button>
          {depth < MAX_DEPTH ? <Button onClick={() => add(newGroup(g.op === 'and' ? 'or' : 'and', [newCondition(firstField, ctx.attributes)]))}>Add a group</Button> : null}
        </div>
      ) : null}
    </fieldset>
  );
}

/** The debounced live count and sample users of the rule being built. */
function useLivePreview(siteId: string, rule: unknown, valid: boolean) {
  const key = JSON.stringify(rule);
  const [debounced, setDebounced] = useState<string | null>(null);
  useEffect(() => {
    if (!valid) return;
    const t = setTimeout(() => setDebounced(key), 400);
    return () => clearTimeout(t);
  }, [key, valid]);
  const q = useQuery(SegmentPreview, { siteId, rule: debounced ? JSON.parse(debounced) : null }, !debounced);
  return { ...q, stale: !valid || debounced !== key };
}

function Preview({ siteId, data, error, loading, stale }: { siteId: string; data: SegmentPreviewQuery | undefined; error: unknown; loading: boolean; stale: boolean }) {
  const site = encodeURIComponent(siteId);
  const count = data?.users.totalCount;
  return (
    <aside class="seg-preview" aria-labelledby="seg-preview-title">
      <h2 id="seg-preview-title">Who matches</h2>
      <p class="seg-count" role="status" aria-live="polite" aria-busy={loading || stale ? 'true' : 'false'}>
        {count == null ? (error ? '—' : 'Counting…') : plural(count, 'matching user')}
      </p>
      {error && !(error instanceof ApiError && error.code === 'BAD_USER_INPUT') ? <p class="field-error">{errorMessage(error)}</p> : null}
      {stale && count != null ? <p class="muted">Updating…</p> : null}
      {data && data.users.edges.length > 0 ? (
        <>
          <h3>Sample users</h3>
          <ul class="seg-sample">
            {data.users.edges.map((e) => (
              <li key={e.node.userId}>
                <a href={`/sites/${site}/users/${encodeURIComponent(e.node.userId)}`}>{e.node.userId}</a>{' '}
                <span class="muted">
                  last seen <Time value={e.node.lastSeen} relative />
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : data ? (
        <p class="muted">Nobody matches yet. Loosen a condition, or switch a group to “Any of these”.</p>
      ) : null}
    </aside>
  );
}

function Editor({ siteId, segmentId, initialName, initialRule, updatedAt }: { siteId: string; segmentId?: string; initialName: string; initialRule: unknown; updatedAt?: string }) {
  const ctxQ = useQuery(SegmentContext, { siteId });
  const surveys = useSurveyNames(siteId);
  const { canWrite } = useViewer();
  const { route } = useLocation();
  const toast = useToast();
  const attributes = useMemo(() => new Map((ctxQ.data?.userAttributes ?? []).map((a) => [a.name, a.type as AttrType])), [ctxQ.data]);
  const [name, setName] = useState(initialName);
  const [root, setRoot] = useState<Group | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const create = useMutation(CreateSegment);
  const update = useMutation(UpdateSegment);
  const del = useMutation(DeleteSegment);
  const site = encodeURIComponent(siteId);

  // The tree is built once the attribute types are known (they decide the operators).
  useEffect(() => {
    if (!ctxQ.data || root) return;
    const first = ctxQ.data.userAttributes[0];
    setRoot(initialRule ? fromJson(initialRule, attributes) : newGroup('and', [newCondition(first ? `attr:${first.name}` : 'visit:DEVICE', attributes)]));
  }, [ctxQ.data]);

  const tree = root ?? newGroup();
  const found = useMemo(() => problems(tree, attributes), [tree, attributes]);
  const rule = useMemo(() => toJson(tree, attributes), [tree, attributes]);
  const valid = !!root && found.size === 0;
  const live = useLivePreview(siteId, rule, valid);
  const saveError = create.error ?? update.error;
  const apiError = (saveError ?? (live.stale ? null : live.error)) as unknown;
  const serverError =
    apiError instanceof ApiError && apiError.code === 'BAD_USER_INPUT' && apiError.field?.startsWith('rule')
      ? { node: nodeForField(tree, apiError.field.replace(/^input\./, '')), message: apiError.message }
      : null;

  if (ctxQ.error && !ctxQ.data) return <ErrorState error={ctxQ.error} retry={ctxQ.reload} />;
  if (!root) return <Skeleton rows={5} height={44} label="Loading the builder…" />;

  const readOnly = !canWrite;
  const ctx: Ctx = { attributes, surveys, readOnly, problems: found, serverError, root, set: (nid, next) => setRoot(replace(root, nid, next)) };

  const save = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) {
      setNameError('Give the segment a name.');
      return;
    }
    setNameError(null);
    if (!valid) return;
    if (segmentId) {
      const r = await update.run({ id: segmentId, input: { name: name.trim(), rule } });
      if (r) toast(`Segment “${r.updateSegment.name}” saved.`);
    } else {
      const r = await create.run({ input: { siteId, name: name.trim(), rule } });
      if (r) {
        toast(`Segment “${r.createSegment.name}” created.`);
        route(`/sites/${site}/segments/${encodeURIComponent(r.createSegment.id)}`, true);
      }
    }
  };

  const remove = async () => {
    if (!segmentId) return;
    const r = await del.run({ id: segmentId });
    if (r) {
      toast('Segment deleted.');
      setConfirmDelete(false);
      route(`/sites/${site}/segments`, true);
    }
  };

  return (
    <form class="seg-layout" onSubmit={save} noValidate>
      <div class="seg-main">
        {readOnly ? <p class="callout">Your role can read segments but not change them.</p> : null}
        {attributes.size === 0 ? (
          <p class="callout callout-warn">
            No attributes yet: conditions on attributes appear once your site sends identify calls with attributes. Visits and surveys work
            already.
          </p>
        ) : null}
        <TextInput label="Name" value={name} onValue={setName} maxLength={200} error={nameError} disabled={readOnly} />
        <GroupBox g={root} ctx={ctx} path="1" />
        {found.get(0) ? <p class="field-error">{found.get(0)}</p> : null}
        {saveError && !serverError ? <FormError error={saveError} /> : null}
        {!readOnly ? (
          <div class="actions">
            <Button variant="primary" type="submit" busy={create.pending || update.pending}>
              Save segment
            </Button>
            {!valid ? <span class="muted">Fix the marked conditions to save.</span> : null}
            {segmentId ? (
              <Button variant="danger" onClick={() => setConfirmDelete(true)}>
                Delete
              </Button>
            ) : null}
          </div>
        ) : null}
        {updatedAt ? (
          <p class="muted">
            Last saved <Time value={updatedAt} />. Users of this segment:{' '}
            <a href={`/sites/${site}/users?segment=${encodeURIComponent(segmentId ?? '')}`}>list</a>,{' '}
            <a href={`/sites/${site}/recordings?segment=${encodeURIComponent(segmentId ?? '')}`}>recordings</a>.
          </p>
        ) : null}
      </div>
      <Preview siteId={siteId} data={live.data} error={live.stale ? null : live.error} loading={live.loading} stale={live.stale} />
      <ConfirmDialog
        open={confirmDelete}
        title="Delete this segment?"
        confirmLabel="Delete segment"
        danger
        busy={del.pending}
        error={del.error ? (del.error instanceof ApiError && del.error.code === 'CONFLICT' ? `${del.error.message} Retarget those surveys first.` : errorMessage(del.error)) : null}
        onConfirm={remove}
        onCancel={() => {
          setConfirmDelete(false);
          del.clearError();
        }}
      >
        “{name}” is removed for good. Surveys cannot target it any more; recordings and users are not deleted.
      </ConfirmDialog>
    </form>
  );
}

export default function SegmentEditorPage() {
  const { siteId, segmentId } = useRoute().params as { siteId: string; segmentId?: string };
  const q = useQuery(SegmentLoad, { id: segmentId ?? '' }, !segmentId);
  const site = encodeURIComponent(siteId);
  const back = (
    <p class="breadcrumb">
      <a href={`/sites/${site}/segments`}>← Segments</a>
    </p>
  );
  if (!segmentId) {
    return (
      <>
        {back}
        <PageHeader title="New segment">Combine conditions with AND / OR groups; the count on the right follows as you type.</PageHeader>
        <Editor siteId={siteId} initialName="" initialRule={null} />
      </>
    );
  }
  const s = q.data?.segment;
  return (
    <>
      {back}
      <PageHeader title={s ? s.name : 'Segment'} />
      {q.error && !q.data ? (
        <ErrorState error={q.error} retry={q.reload} />
      ) : !q.data ? (
        <Skeleton rows={5} height={44} label="Loading the segment…" />
      ) : !s || s.siteId !== siteId ? (
        <ErrorState error={new ApiError('NOT_FOUND', 'No segment with this id on this site.')} />
      ) : (
        <Editor key={s.id} siteId={siteId} segmentId={s.id} initialName={s.name} initialRule={s.rule} updatedAt={s.updatedAt} />
      )}
    </>
  );
}
