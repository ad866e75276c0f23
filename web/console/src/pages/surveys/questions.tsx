// One question's editor (prompt, type, options, scale, labels, style, key) and its logic rules.
import { useId } from 'preact/hooks';
import type { LogicOperator, QuestionType } from '../../gql/graphql';
import { Button, Checkbox, Select, TextArea, TextInput } from '../../ui';
import {
  type DraftQuestion,
  type DraftRule,
  type Problems,
  QUESTION_TYPES,
  changeType,
  isChoice,
  isScale,
  newRule,
  operatorLabel,
  operatorsFor,
  problemAt,
  qLabel,
} from './model';

const RATING_STYLES = [
  { value: '', label: 'Numbers (default)' },
  { value: 'STARS', label: 'Stars' },
  { value: 'EMOJI', label: 'Faces' },
] as const;
const CHOICE_STYLES = [
  { value: '', label: 'List (default)' },
  { value: 'DROPDOWN', label: 'Dropdown' },
] as const;

function short(s: string, n = 40): string {
  const t = s.trim();
  return t.length > n ? t.slice(0, n - 1) + '…' : t;
}

function RuleEditor({
  q,
  index,
  rule,
  ruleIndex,
  questions,
  problems,
  onChange,
  onRemove,
}: {
  q: DraftQuestion;
  index: number;
  rule: DraftRule;
  ruleIndex: number;
  questions: DraftQuestion[];
  problems: Problems;
  onChange: (r: DraftRule) => void;
  onRemove: () => void;
}) {
  const scale = isScale(q.type);
  const choice = isChoice(q.type);
  const n = ruleIndex + 1;
  const error = problemAt(problems, `questions[${index}].logic[${ruleIndex}]`, true);
  const errId = useId();
  const ops = operatorsFor(q.type).map((o) => ({ value: o, label: operatorLabel(o, q.type) }));
  const targets = [
    ...questions
      .map((x, i) => ({ value: x.key, label: `${qLabel(i)} ${short(x.prompt, 30) || '(no text yet)'}`, i }))
      .filter((x) => x.i > index)
      .map(({ value, label }) => ({ value, label })),
    { value: '__end', label: 'End of survey' },
  ];
  const needsNumber = (rule.operator === 'EQUALS' && scale) || rule.operator === 'LESS_THAN' || rule.operator === 'GREATER_THAN';
  const needsText = (rule.operator === 'EQUALS' && !scale) || rule.operator === 'CONTAINS';
  const options = q.options.map((o) => o.trim()).filter(Boolean);
  return (
    <li class="rule" aria-describedby={error ? errId : undefined}>
      <span class="rule-if">If {qLabel(index)}</span>
      <Select
        label={`Rule ${n} condition`}
        value={rule.operator}
        options={ops}
        onValue={(v) => onChange({ ...rule, operator: v as LogicOperator })}
      />
      {needsNumber ? (
        <TextInput label={`Rule ${n} number`} type="number" value={rule.number} onValue={(v) => onChange({ ...rule, number: v })} class="input-narrow" />
      ) : null}
      {needsText && choice ? (
        <Select
          label={`Rule ${n} option`}
          value={rule.value}
          options={[{ value: '', label: 'Pick an option' }, ...options.map((o) => ({ value: o, label: o }))]}
          onValue={(v) => onChange({ ...rule, value: v })}
        />
      ) : needsText ? (
        <TextInput label={`Rule ${n} text`} value={rule.value} onValue={(v) => onChange({ ...rule, value: v })} />
      ) : null}
      {rule.operator === 'ONE_OF' && scale ? (
        <TextInput
          label={`Rule ${n} scores`}
          hint="Separated by commas"
          value={rule.values.join(', ')}
          onValue={(v) => onChange({ ...rule, values: v.split(',').map((x) => x.trim()).filter(Boolean) })}
        />
      ) : null}
      {rule.operator === 'ONE_OF' && choice ? (
        <fieldset class="plain rule-options">
          <legend>Rule {n} options</legend>
          {options.map((o) => (
            <Checkbox
              key={o}
              label={o}
              checked={rule.values.includes(o)}
              onChecked={(c) => onChange({ ...rule, values: c ? [...rule.values, o] : rule.values.filter((v) => v !== o) })}
            />
          ))}
        </fieldset>
      ) : null}
      <Select
        label={`Rule ${n} goes to`}
        value={rule.goTo ?? '__end'}
        options={rule.goTo !== null && !targets.some((t) => t.value === rule.goTo) ? [{ value: rule.goTo, label: `${rule.goTo} (not after this question)` }, ...targets] : targets}
        onValue={(v) => onChange({ ...rule, goTo: v === '__end' ? null : v })}
      />
      <Button class="btn-small btn-remove" onClick={onRemove} aria-label={`Remove rule ${n} of ${qLabel(index)}`}>
        Remove
      </Button>
      {error ? (
        <p class="field-error rule-error" id={errId}>
          {error}
        </p>
      ) : null}
    </li>
  );
}

export function QuestionEditor({
  q,
  index,
  count,
  questions,
  problems,
  onChange,
  onKey,
  onMove,
  onRemove,
}: {
  q: DraftQuestion;
  index: number;
  count: number;
  questions: DraftQuestion[];
  problems: Problems;
  onChange: (q: DraftQuestion) => void;
  onKey: (key: string) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const at = (f: string) => `questions[${index}].${f}`;
  const label = qLabel(index);
  const headingId = useId();
  const setOption = (j: number, v: string) => onChange({ ...q, options: q.options.map((o, k) => (k === j ? v : o)) });
  return (
    <section class="question" aria-labelledby={headingId} id={`question-${index}`}>
      <div class="question-head">
        <h3 id={headingId}>
          {label} <span class="muted">· {QUESTION_TYPES.find((t) => t.value === q.type)?.label}</span>
        </h3>
        <div class="row">
          <Button class="btn-small" disabled={index === 0} onClick={() => onMove(index - 1)} aria-label={`Move ${label} up`}>
            ↑
          </Button>
          <Button class="btn-small" disabled={index === count - 1} onClick={() => onMove(index + 1)} aria-label={`Move ${label} down`}>
            ↓
          </Button>
          <Button class="btn-small" variant="danger" onClick={onRemove} aria-label={`Remove ${label}`}>
            Remove
          </Button>
        </div>
      </div>
      <div class="grid-2">
        <Select
          label={`${label} type`}
          value={q.type}
          options={QUESTION_TYPES}
          hint={QUESTION_TYPES.find((t) => t.value === q.type)?.hint}
          onValue={(v) => onChange(changeType(q, v as QuestionType))}
        />
        <TextInput
          label={`${label} key`}
          hint="Names it in logic, exports and link prefill (?q.key=…)."
          value={q.key}
          maxLength={50}
          error={problemAt(problems, at('key'))}
          onValue={onKey}
        />
      </div>
      <TextArea
        label={q.type === 'STATEMENT' ? `${label} text` : `${label} question`}
        rows={2}
        maxLength={1000}
        value={q.prompt}
        error={problemAt(problems, at('prompt'))}
        onValue={(v) => onChange({ ...q, prompt: v })}
      />
      {q.type !== 'STATEMENT' ? (
        <Checkbox label="An answer is required" checked={q.required} onChecked={(c) => onChange({ ...q, required: c })} />
      ) : null}

      {isChoice(q.type) ? (
        <fieldset class="plain options">
          <legend>{label} options</legend>
          {problemAt(problems, at('options')) ? <p class="field-error">{problemAt(problems, at('options'))}</p> : null}
          <ol>
            {q.options.map((o, j) => (
              <li key={j} class="option-row">
                <TextInput
                  label={`Option ${j + 1}`}
                  value={o}
                  maxLength={200}
                  error={problemAt(problems, `questions[${index}].options[${j}]`)}
                  onValue={(v) => setOption(j, v)}
                />
                <Button
                  class="btn-small btn-remove"
                  disabled={q.options.length <= 1}
                  onClick={() => onChange({ ...q, options: q.options.filter((_, k) => k !== j) })}
                  aria-label={`Remove option ${j + 1}`}
                >
                  Remove
                </Button>
              </li>
            ))}
          </ol>
          <div class="row">
            <Button class="btn-small" disabled={q.options.length >= 50} onClick={() => onChange({ ...q, options: [...q.options, ''] })}>
              Add option
            </Button>
          </div>
          <Checkbox
            label="Offer “Other” with a text box"
            checked={q.allowOther}
            onChecked={(c) => onChange({ ...q, allowOther: c })}
          />
          {q.type === 'SINGLE_CHOICE' ? (
            <Select
              label={`${label} display`}
              value={q.displayStyle as '' | 'DROPDOWN'}
              options={CHOICE_STYLES}
              error={problemAt(problems, at('displayStyle'))}
              onValue={(v) => onChange({ ...q, displayStyle: v })}
            />
          ) : null}
        </fieldset>
      ) : null}

      {isScale(q.type) ? (
        <div class="grid-2">
          {q.type === 'RATING' ? (
            <>
              <Select
                label={`${label} scale`}
                value={String(q.scaleMax) as '5' | '7'}
                options={[
                  { value: '5', label: '1 to 5' },
                  { value: '7', label: '1 to 7' },
                ]}
                error={problemAt(problems, at('scaleMax'))}
                onValue={(v) => onChange({ ...q, scaleMax: v === '7' ? 7 : 5 })}
              />
              <Select
                label={`${label} display`}
                value={q.displayStyle as '' | 'STARS' | 'EMOJI'}
                options={RATING_STYLES}
                error={problemAt(problems, at('displayStyle'))}
                onValue={(v) => onChange({ ...q, displayStyle: v })}
              />
            </>
          ) : null}
          <TextInput
            label={`${label} low end label`}
            hint={q.type === 'NPS' ? 'Default: Not at all likely' : 'e.g. Poor'}
            value={q.lowLabel}
            maxLength={200}
            error={problemAt(problems, at('lowLabel'))}
            onValue={(v) => onChange({ ...q, lowLabel: v })}
          />
          <TextInput
            label={`${label} high end label`}
            hint={q.type === 'NPS' ? 'Default: Extremely likely' : 'e.g. Excellent'}
            value={q.highLabel}
            maxLength={200}
            error={problemAt(problems, at('highLabel'))}
            onValue={(v) => onChange({ ...q, highLabel: v })}
          />
        </div>
      ) : null}

      <div class="logic">
        <h4>Logic</h4>
        {q.logic.length === 0 ? (
          <p class="muted small">
            {index === count - 1 ? 'After this question the survey ends.' : `Everyone goes on to ${qLabel(index + 1)}.`} Add a rule to jump
            ahead or end early depending on the answer.
          </p>
        ) : (
          <ol class="rules">
            {q.logic.map((r, k) => (
              <RuleEditor
                key={r.uid}
                q={q}
                index={index}
                rule={r}
                ruleIndex={k}
                questions={questions}
                problems={problems}
                onChange={(nr) => onChange({ ...q, logic: q.logic.map((x, i) => (i === k ? nr : x)) })}
                onRemove={() => onChange({ ...q, logic: q.logic.filter((_, i) => i !== k) })}
              />
            ))}
          </ol>
        )}
        {q.logic.length > 0 ? (
          <p class="muted small">Rules are checked in order; the first that matches decides. Otherwise: {index === count - 1 ? 'the end' : qLabel(index + 1)}.</p>
        ) : null}
        <Button class="btn-small" disabled={q.logic.length >= 20} onClick={() => onChange({ ...q, logic: [...q.logic, newRule(q)] })}>
          Add logic rule to {label}
        </Button>
      </div>
    </section>
  );
}
