/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AcceptInviteInput = {
  email: string;
  name?: string | null | undefined;
  password: string;
  token: string;
};

export type AnswerConditionInput = {
  operator: AnswerOperator;
  questionId: string | number;
  value?: string | null | undefined;
};

export type AnswerOperator =
  | 'ANSWERED'
  /** Text or "other" text contains `value` (case-insensitive). */
  | 'CONTAINS'
  /** Text (case-insensitive), number or a selected option equals `value`. */
  | 'EQUALS'
  | 'SKIPPED';

export type AttributeType =
  | 'BOOLEAN'
  | 'DATE'
  | 'NUMBER'
  | 'STRING';

export type CreateApiKeyInput = {
  name: string;
  role: Role;
};

export type CreateInviteInput = {
  /** Only this address may accept it (optional). */
  email?: string | null | undefined;
  role: Role;
};

export type CreateSegmentInput = {
  name: string;
  rule: unknown;
  siteId: string | number;
};

export type CreateSiteInput = {
  /** Host names the site's pages are served from (`example.com`, `*.example.com`). */
  allowedDomains?: Array<string>;
  name: string;
  /** Days to keep data (1–3650, default 365). */
  retentionDays?: number | null | undefined;
};

export type CreateSurveyInput = {
  /** SITE (default) or LINK. */
  distribution?: SurveyDistribution | null | undefined;
  /** URL parameters a link survey records with each response (at most 20). */
  hiddenFields?: Array<string>;
  kind?: SurveyKind;
  name: string;
  questions?: Array<QuestionInput>;
  siteId: string | number;
  targeting?: TargetingInput | null | undefined;
  thankYou?: string | null | undefined;
};

export type Frequency =
  | 'ALWAYS'
  | 'ONCE'
  | 'UNTIL_RESPONDED';

export type HeatmapDevice =
  | 'DESKTOP'
  | 'MOBILE'
  | 'TABLET';

export type HeatmapKind =
  | 'CLICK'
  | 'DEAD_CLICK'
  | 'MOVE'
  | 'RAGE_CLICK'
  | 'SCROLL';

export type LogicOperator =
  | 'ALWAYS'
  | 'ANSWERED'
  | 'CONTAINS'
  | 'EQUALS'
  | 'GREATER_THAN'
  | 'LESS_THAN'
  | 'ONE_OF'
  | 'SKIPPED';

/** "If the answer matches, go to the question with key `goTo`, or end when it is null." */
export type LogicRuleInput = {
  goTo?: string | null | undefined;
  number?: number | null | undefined;
  operator: LogicOperator;
  value?: string | null | undefined;
  values?: Array<string>;
};

/** Who a personal-data request is about: an email, identified users, or both. */
export type PersonalDataInput = {
  /** Matched against `EMAIL` answers and an identify attribute named `email`. */
  email?: string | null | undefined;
  siteUsers?: Array<SiteUserInput>;
};

export type Plan =
  | 'BASIC'
  | 'BUSINESS'
  | 'PLUS'
  | 'SCALE';

export type PurgeKind =
  | 'RECORDINGS'
  | 'RESPONSES';

export type QuestionInput = {
  allowOther?: boolean;
  /** RATING: STARS, EMOJI or NUMBERS; choices: LIST or DROPDOWN. */
  displayStyle?: string | null | undefined;
  highLabel?: string | null | undefined;
  /** An existing question to keep (its answers stay attached); omit for a new one. */
  id?: string | number | null | undefined;
  /** Names the question in logic rules; default `q1`, `q2`, … by position. */
  key?: string | null | undefined;
  logic?: Array<LogicRuleInput>;
  lowLabel?: string | null | undefined;
  options?: Array<string>;
  prompt: string;
  required?: boolean;
  /** RATING: 5 (default) or 7. */
  scaleMax?: number | null | undefined;
  type: QuestionType;
};

export type QuestionType =
  | 'EMAIL'
  | 'LONG_TEXT'
  | 'MULTIPLE_CHOICE'
  | 'NPS'
  | 'RATING'
  | 'SHORT_TEXT'
  | 'SINGLE_CHOICE'
  | 'STATEMENT';

/**
 * Which recordings: date range (`from` inclusive, `to` exclusive), duration in seconds,
 * device, country, a visited URL, rage clicks / U-turns, user, segment.
 */
export type RecordingFilterInput = {
  country?: string | null | undefined;
  device?: string | null | undefined;
  from?: string | null | undefined;
  hasRageClicks?: boolean | null | undefined;
  /** Sessions with (true) or without (false) a survey response linked to them. */
  hasResponse?: boolean | null | undefined;
  hasUTurns?: boolean | null | undefined;
  maxDurationSeconds?: number | null | undefined;
  minDurationSeconds?: number | null | undefined;
  /** Sessions with a response to this survey (of the same site). */
  respondedToSurvey?: string | number | null | undefined;
  rule?: unknown;
  segmentId?: string | number | null | undefined;
  to?: string | null | undefined;
  urlContains?: string | null | undefined;
  userId?: string | null | undefined;
};

export type RecordingOrder =
  | 'LONGEST'
  | 'MOST_CLICKS'
  | 'NEWEST';

/**
 * Which responses count: date range (`from` inclusive, `to` exclusive), complete
 * only, device family, country, and conditions on answers (all must hold).
 */
export type ResponseFilterInput = {
  answers?: Array<AnswerConditionInput>;
  completeOnly?: boolean;
  country?: string | null | undefined;
  device?: string | null | undefined;
  from?: string | null | undefined;
  /** Or an inline segment rule (same JSON form as a segment's). */
  rule?: unknown;
  /** Only responses of visitors in this saved segment (of the survey's site). */
  segmentId?: string | number | null | undefined;
  /** Only responses with at least one text answer scored with one of these labels. */
  sentiment?: Array<SentimentLabel>;
  /** Only responses with at least one of these tags. */
  tags?: Array<string> | null | undefined;
  to?: string | null | undefined;
};

export type Role =
  | 'ADMIN'
  | 'READ'
  | 'WRITE';

export type SentimentLabel =
  | 'NEGATIVE'
  | 'NEUTRAL'
  | 'POSITIVE';

export type SignInInput = {
  email: string;
  password: string;
  /** A code from the authenticator app, or a recovery code. */
  twoFactorCode?: string | null | undefined;
};

/**
 * Colours (`#rrggbb`), position (`bottom-right`, `bottom-left`, `center`) and font of
 * the survey widget.
 */
export type SiteThemeInput = {
  background?: string | null | undefined;
  font?: string | null | undefined;
  position?: string | null | undefined;
  primary?: string | null | undefined;
  text?: string | null | undefined;
};

export type SiteUserInput = {
  siteId: string | number;
  userId: string;
};

/** Where a survey is answered: on the site through the browser tag, or on its own page. */
export type SurveyDistribution =
  | 'LINK'
  | 'SITE';

export type SurveyKind =
  | 'POLL'
  | 'SURVEY';

export type SurveyStatus =
  | 'ACTIVE'
  | 'CLOSED'
  | 'DRAFT'
  | 'PAUSED';

/** Who sees the survey: pages, devices, sample, schedule, frequency. */
export type TargetingInput = {
  /** `desktop`, `mobile`, `tablet`; empty: every device. */
  devices?: Array<string>;
  endsAt?: string | null | undefined;
  frequency?: Frequency;
  /** Share of visitors (0–100) who may see it, stable per visitor. */
  samplingPercent?: number;
  /** Only visitors in this segment (of the same site) see it; it needs the Identify API. */
  segmentId?: string | number | null | undefined;
  startsAt?: string | null | undefined;
  /** Include rules (any must match) and exclude rules (none may match); empty: every page. */
  urlRules?: Array<UrlRuleInput>;
};

export type UpdateMemberInput = {
  disabled?: boolean | null | undefined;
  role?: Role | null | undefined;
};

export type UpdateSegmentInput = {
  name?: string | null | undefined;
  rule?: unknown;
};

export type UpdateSiteInput = {
  allowedDomains?: Array<string> | null | undefined;
  /** Extract heatmap facts from recordings (default true). */
  heatmapsEnabled?: boolean | null | undefined;
  /**
   * Turning the Identify API on needs plan BUSINESS or SCALE and an accepted
   * data-processing agreement.
   */
  identifyEnabled?: boolean | null | undefined;
  /**
   * Refuse identify calls without a valid `user_hash` (needs an identity secret:
   * `rotateIdentitySecret`).
   */
  identityVerification?: boolean | null | undefined;
  /** Mask every text on the page in recordings, for sites that show personal data. */
  maskAllText?: boolean | null | undefined;
  /** Mask text typed into inputs in session recordings before storage (default true). */
  maskInputs?: boolean | null | undefined;
  name?: string | null | undefined;
  /** The browser tag records sessions (default false). */
  recordingEnabled?: boolean | null | undefined;
  /** 0–100: share of visitors recorded, stable per visitor (default 100). */
  recordingSamplePercent?: number | null | undefined;
  /** The tag sends nothing before the page calls `loupe('consent', true)`. */
  requireConsent?: boolean | null | undefined;
  retentionDays?: number | null | undefined;
  /** 0–365; 0 turns the site-wide survey cool-down off. */
  surveyCooldownDays?: number | null | undefined;
  /** Replaces the widget theme; fields left out take the defaults. */
  theme?: SiteThemeInput | null | undefined;
  /**
   * Query parameters whose values are kept in stored URLs, besides `utm_*` (at most
   * 50). Every other value is replaced by `[redacted]`.
   */
  urlAllowedParams?: Array<string> | null | undefined;
  /**
   * Extra regular expressions masked in every stored URL (at most 20, ≤ 200
   * characters each), matched against the URL as stored (percent-encoded).
   */
  urlPatterns?: Array<string> | null | undefined;
};

export type UpdateSurveyInput = {
  /** Switching to LINK gives the survey its link (kept when switching back and forth). */
  distribution?: SurveyDistribution | null | undefined;
  hiddenFields?: Array<string> | null | undefined;
  name?: string | null | undefined;
  /** The whole new question list, in order. */
  questions?: Array<QuestionInput> | null | undefined;
  /** Replaces the targeting as a whole. */
  targeting?: TargetingInput | null | undefined;
  /** Null clears it. */
  thankYou?: string | null | undefined;
};

export type UrlMatch =
  | 'CONTAINS'
  | 'ENDS_WITH'
  | 'EXACT'
  /** A regular expression, run by a linear-time engine with a bounded compiled size. */
  | 'REGEX'
  | 'STARTS_WITH';

export type UrlRuleInput = {
  /** Hide the survey on matching pages instead of showing it. */
  exclude?: boolean;
  kind: UrlMatch;
  value: string;
};

export type AccountPageQueryVariables = Exact<{ [key: string]: never; }>;


export type AccountPageQuery = { viewer: { account: { id: string, email: string, name: string | null, twoFactorEnabled: boolean, createdAt: string, sessions: Array<{ id: string, current: boolean, device: string, createdAt: string, lastSeenAt: string, expiresAt: string }> } | null } };

export type UpdateAccountMutationVariables = Exact<{
  name?: string | null | undefined;
}>;


export type UpdateAccountMutation = { updateAccount: { id: string, name: string | null } };

export type ChangePasswordMutationVariables = Exact<{
  current: string;
  next: string;
}>;


export type ChangePasswordMutation = { changePassword: boolean };

export type RevokeSessionMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeSessionMutation = { revokeSession: boolean };

export type SignOutEverywhereMutationVariables = Exact<{ [key: string]: never; }>;


export type SignOutEverywhereMutation = { signOutEverywhere: boolean };

export type StartTwoFactorMutationVariables = Exact<{ [key: string]: never; }>;


export type StartTwoFactorMutation = { startTwoFactor: { secret: string, otpauthUri: string } };

export type ConfirmTwoFactorMutationVariables = Exact<{
  code: string;
}>;


export type ConfirmTwoFactorMutation = { confirmTwoFactor: Array<string> };

export type DisableTwoFactorMutationVariables = Exact<{
  password: string;
}>;


export type DisableTwoFactorMutation = { disableTwoFactor: boolean };

export type ApiKeyListQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type ApiKeyListQuery = { viewer: { organization: { apiKeys: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, role: Role, clientId: string, createdAt: string, expiresAt: string, revokedAt: string | null, lastUsedAt: string | null } }> } } } };

export type CreateApiKeyMutationVariables = Exact<{
  input: CreateApiKeyInput;
}>;


export type CreateApiKeyMutation = { createApiKey: { clientId: string, clientSecret: string, apiKey: { id: string, name: string, role: Role, expiresAt: string } } };

export type RevokeApiKeyMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeApiKeyMutation = { revokeApiKey: { id: string, revokedAt: string | null } };

export type HeatmapPagesQueryVariables = Exact<{
  siteId: string | number;
  from?: string | null | undefined;
}>;


export type HeatmapPagesQuery = { heatmapPages: Array<{ url: string, pageViews: number, clicks: number }>, site: { id: string, recordingEnabled: boolean, heatmapsEnabled: boolean } | null, segments: { edges: Array<{ node: { id: string, name: string } }> } };

export type HeatmapQueryVariables = Exact<{
  siteId: string | number;
  url: string;
  device: HeatmapDevice;
  kind: HeatmapKind;
  from?: string | null | undefined;
  segmentId?: string | number | null | undefined;
}>;


export type HeatmapQuery = { heatmap: { url: string, pageViews: number, clicks: number, documentWidth: number, documentHeight: number, referenceWidth: number, binSize: number, averageFold: number | null, sample: { recordings: number, complete: boolean } | null, points: Array<{ x: number, y: number, count: number }>, elements: Array<{ selector: string, clicks: number, share: number }>, scroll: Array<{ depth: number, share: number }> } };

export type HeatmapSnapshotQueryVariables = Exact<{
  siteId: string | number;
  url: string;
  device: HeatmapDevice;
}>;


export type HeatmapSnapshotQuery = { heatmapSnapshot: { recordingId: string, timestamp: string, event: unknown } | null };

export type InviteLinkQueryVariables = Exact<{
  token: string;
}>;


export type InviteLinkQuery = { invite: { organizationName: string, role: Role, email: string | null, expiresAt: string, setup: boolean } | null };

export type AcceptInviteMutationVariables = Exact<{
  input: AcceptInviteInput;
}>;


export type AcceptInviteMutation = { acceptInvite: { account: { id: string }, organization: { id: string, name: string } } };

export type InviteWhoAmIQueryVariables = Exact<{ [key: string]: never; }>;


export type InviteWhoAmIQuery = { viewer: { account: { email: string } | null } };

export type JoinOrganizationMutationVariables = Exact<{
  token: string;
}>;


export type JoinOrganizationMutation = { joinOrganization: { id: string, name: string, role: Role } };

export type PlayerRecordingQueryVariables = Exact<{
  id: string | number;
}>;


export type PlayerRecordingQuery = { recording: { id: string, siteId: string, sessionId: string, visitorId: string | null, startedAt: string, endedAt: string, durationMs: number, pageViews: number, entryUrl: string | null, exitUrl: string | null, clicks: number, rageClicks: number, uTurns: number, device: string | null, browser: string | null, os: string | null, country: string | null, viewportWidth: number | null, viewportHeight: number | null, eventCount: number, user: unknown, responses: Array<{ id: string, surveyId: string, createdAt: string, isComplete: boolean, recording: { id: string } | null, answers: Array<{ questionId: string, value: unknown, sentiment: { label: SentimentLabel } | null }> }> } | null };

export type PlayerEventsQueryVariables = Exact<{
  id: string | number;
  after?: string | null | undefined;
}>;


export type PlayerEventsQuery = { recording: { id: string, events: { events: Array<unknown>, endCursor: string | null, hasNextPage: boolean } } | null };

export type PlayerUserQueryVariables = Exact<{
  siteId: string | number;
  userId: string;
}>;


export type PlayerUserQuery = { user: { userId: string, firstSeen: string, lastSeen: string, sessions: number, attributes: Array<{ name: string, type: AttributeType, value: unknown, stringValue: string | null, numberValue: number | null, booleanValue: boolean | null, dateValue: string | null }>, responses: { totalCount: number, edges: Array<{ node: { id: string, surveyId: string, createdAt: string, isComplete: boolean, recording: { id: string } | null, answers: Array<{ questionId: string, value: unknown, sentiment: { label: SentimentLabel } | null }> } }> } } | null };

export type AuditLogQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type AuditLogQuery = { auditLog: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, createdAt: string, action: string, apiKeyId: string | null, accountId: string | null, siteId: string | null, subjectHash: string | null, counts: unknown } }> }, viewer: { organization: { members: Array<{ account: { id: string, email: string } }> } } };

export type LookupPersonalDataMutationVariables = Exact<{
  input: PersonalDataInput;
}>;


export type LookupPersonalDataMutation = { lookupPersonalData: unknown };

export type DeletePersonalDataMutationVariables = Exact<{
  input: PersonalDataInput;
}>;


export type DeletePersonalDataMutation = { deletePersonalData: unknown };

export type PurgeUrlsMutationVariables = Exact<{
  siteId: string | number;
  pattern: string;
}>;


export type PurgeUrlsMutation = { purgeUrls: unknown };

export type PurgeTimeRangeMutationVariables = Exact<{
  siteId: string | number;
  from: string;
  to: string;
  kinds: Array<PurgeKind> | PurgeKind;
}>;


export type PurgeTimeRangeMutation = { purgeTimeRange: unknown };

export type RecordingListQueryVariables = Exact<{
  siteId: string | number;
  filter?: RecordingFilterInput | null | undefined;
  orderBy?: RecordingOrder | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type RecordingListQuery = { recordings: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, sessionId: string, startedAt: string, durationMs: number, pageViews: number, clicks: number, rageClicks: number, uTurns: number, device: string | null, browser: string | null, os: string | null, country: string | null, entryUrl: string | null, user: unknown } }> } };

export type RecordingSegmentsQueryVariables = Exact<{
  siteId: string | number;
}>;


export type RecordingSegmentsQuery = { segments: { edges: Array<{ node: { id: string, name: string } }> } };

export type ResultsQueryVariables = Exact<{
  id: string | number;
  siteId: string | number;
  filter?: ResponseFilterInput | null | undefined;
}>;


export type ResultsQuery = { survey: { id: string, siteId: string, name: string, kind: SurveyKind, status: SurveyStatus, sentimentEnabled: boolean, createdAt: string, questions: Array<{ id: string, key: string, type: QuestionType, prompt: string, options: Array<string> }>, summary: { responses: number, complete: number, sentiment: { positive: number, neutral: number, negative: number, unscored: number }, tags: Array<{ tag: string, count: number }>, questions: Array<{ answered: number, skipped: number, other: number, average: number | null, textAnswers: number | null, question: { id: string, key: string, type: QuestionType, prompt: string }, choices: Array<{ choice: string, count: number }>, distribution: Array<{ value: number, count: number }>, nps: { score: number | null, promoters: number, passives: number, detractors: number } | null, sentiment: { positive: number, neutral: number, negative: number, unscored: number } | null }> } } | null, segments: { edges: Array<{ node: { id: string, name: string } }> } };

export type NpsTrendQueryVariables = Exact<{
  id: string | number;
  f0?: ResponseFilterInput | null | undefined;
  f1?: ResponseFilterInput | null | undefined;
  f2?: ResponseFilterInput | null | undefined;
  f3?: ResponseFilterInput | null | undefined;
  f4?: ResponseFilterInput | null | undefined;
  f5?: ResponseFilterInput | null | undefined;
  f6?: ResponseFilterInput | null | undefined;
  f7?: ResponseFilterInput | null | undefined;
}>;


export type NpsTrendQuery = { survey: { b0: { questions: Array<{ question: { id: string }, nps: { promoters: number, passives: number, detractors: number } | null }> }, b1: { questions: Array<{ question: { id: string }, nps: { promoters: number, passives: number, detractors: number } | null }> }, b2: { questions: Array<{ question: { id: string }, nps: { promoters: number, passives: number, detractors: number } | null }> }, b3: { questions: Array<{ question: { id: string }, nps: { promoters: number, passives: number, detractors: number } | null }> }, b4: { questions: Array<{ question: { id: string }, nps: { promoters: number, passives: number, detractors: number } | null }> }, b5: { questions: Array<{ question: { id: string }, nps: { promoters: number, passives: number, detractors: number } | null }> }, b6: { questions: Array<{ question: { id: string }, nps: { promoters: number, passives: number, detractors: number } | null }> }, b7: { questions: Array<{ question: { id: string }, nps: { promoters: number, passives: number, detractors: number } | null }> } } | null };

export type TrendSliceFragment = { questions: Array<{ question: { id: string }, nps: { promoters: number, passives: number, detractors: number } | null }> };

export type ResponsesPageQueryVariables = Exact<{
  surveyId: string | number;
  filter?: ResponseFilterInput | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type ResponsesPageQuery = { responses: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, createdAt: string, isComplete: boolean, visitorId: string | null, userId: string | null, userAttributes: unknown, device: string | null, browser: string | null, os: string | null, country: string | null, pageUrl: string | null, hiddenFields: unknown, tags: Array<string>, answers: Array<{ questionId: string, value: unknown, other: string | null, comment: string | null, sentiment: { label: SentimentLabel, score: number } | null }>, recording: { id: string } | null } }> } };

export type SegmentContextQueryVariables = Exact<{
  siteId: string | number;
}>;


export type SegmentContextQuery = { userAttributes: Array<{ name: string, type: AttributeType }> };

export type SegmentLoadQueryVariables = Exact<{
  id: string | number;
}>;


export type SegmentLoadQuery = { segment: { id: string, siteId: string, name: string, rule: unknown, createdAt: string, updatedAt: string } | null };

export type SegmentPreviewQueryVariables = Exact<{
  siteId: string | number;
  rule: unknown;
}>;


export type SegmentPreviewQuery = { users: { totalCount: number, edges: Array<{ node: { userId: string, lastSeen: string } }> } };

export type CreateSegmentMutationVariables = Exact<{
  input: CreateSegmentInput;
}>;


export type CreateSegmentMutation = { createSegment: { id: string, name: string } };

export type UpdateSegmentMutationVariables = Exact<{
  id: string | number;
  input: UpdateSegmentInput;
}>;


export type UpdateSegmentMutation = { updateSegment: { id: string, name: string, rule: unknown, updatedAt: string } };

export type DeleteSegmentMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteSegmentMutation = { deleteSegment: string };

export type SegmentListQueryVariables = Exact<{
  siteId: string | number;
  first: number;
  after?: string | null | undefined;
}>;


export type SegmentListQuery = { segments: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, updatedAt: string, preview: { matchingUsers: number } } }> } };

export type SignInMutationVariables = Exact<{
  input: SignInInput;
}>;


export type SignInMutation = { signIn: { account: { id: string }, organization: { id: string } } };

export type SiteListQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type SiteListQuery = { sites: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, allowedDomains: Array<string>, recordingEnabled: boolean, identifyEnabled: boolean, retentionDays: number, createdAt: string, lastDataAt: string | null } }> } };

export type CreateSiteMutationVariables = Exact<{
  input: CreateSiteInput;
}>;


export type CreateSiteMutation = { createSite: { id: string, name: string } };

export type SiteFieldsFragment = { id: string, name: string, allowedDomains: Array<string>, identifyEnabled: boolean, retentionDays: number, surveyCooldownDays: number, maskInputs: boolean, urlAllowedParams: Array<string>, urlPatterns: Array<string>, recordingEnabled: boolean, recordingSamplePercent: number, maskAllText: boolean, requireConsent: boolean, identityVerification: boolean, hasIdentitySecret: boolean, createdAt: string, updatedAt: string, lastDataAt: string | null, snippet: string, theme: { primary: string | null, background: string | null, text: string | null, position: string | null, font: string | null } };

export type SiteSettingsQueryVariables = Exact<{
  id: string | number;
}>;


export type SiteSettingsQuery = { site: { id: string, name: string, allowedDomains: Array<string>, identifyEnabled: boolean, retentionDays: number, surveyCooldownDays: number, maskInputs: boolean, urlAllowedParams: Array<string>, urlPatterns: Array<string>, recordingEnabled: boolean, recordingSamplePercent: number, maskAllText: boolean, requireConsent: boolean, identityVerification: boolean, hasIdentitySecret: boolean, createdAt: string, updatedAt: string, lastDataAt: string | null, snippet: string, theme: { primary: string | null, background: string | null, text: string | null, position: string | null, font: string | null } } | null };

export type UpdateSiteMutationVariables = Exact<{
  id: string | number;
  input: UpdateSiteInput;
}>;


export type UpdateSiteMutation = { updateSite: { id: string, name: string, allowedDomains: Array<string>, identifyEnabled: boolean, retentionDays: number, surveyCooldownDays: number, maskInputs: boolean, urlAllowedParams: Array<string>, urlPatterns: Array<string>, recordingEnabled: boolean, recordingSamplePercent: number, maskAllText: boolean, requireConsent: boolean, identityVerification: boolean, hasIdentitySecret: boolean, createdAt: string, updatedAt: string, lastDataAt: string | null, snippet: string, theme: { primary: string | null, background: string | null, text: string | null, position: string | null, font: string | null } } };

export type RotateIdentitySecretMutationVariables = Exact<{
  siteId: string | number;
}>;


export type RotateIdentitySecretMutation = { rotateIdentitySecret: { secret: string, site: { id: string, name: string, allowedDomains: Array<string>, identifyEnabled: boolean, retentionDays: number, surveyCooldownDays: number, maskInputs: boolean, urlAllowedParams: Array<string>, urlPatterns: Array<string>, recordingEnabled: boolean, recordingSamplePercent: number, maskAllText: boolean, requireConsent: boolean, identityVerification: boolean, hasIdentitySecret: boolean, createdAt: string, updatedAt: string, lastDataAt: string | null, snippet: string, theme: { primary: string | null, background: string | null, text: string | null, position: string | null, font: string | null } } } };

export type AcceptDpaMutationVariables = Exact<{ [key: string]: never; }>;


export type AcceptDpaMutation = { acceptDataProcessingAgreement: { id: string, dpaAcceptedAt: string | null } };

export type SurveyEditQueryVariables = Exact<{
  id: string | number;
}>;


export type SurveyEditQuery = { survey: { id: string, siteId: string, kind: SurveyKind, name: string, status: SurveyStatus, thankYou: string | null, distribution: SurveyDistribution, linkUrl: string | null, hiddenFields: Array<string>, sentimentEnabled: boolean, sentimentEnabledAt: string | null, createdAt: string, updatedAt: string, targeting: { devices: Array<string>, samplingPercent: number, startsAt: string | null, endsAt: string | null, frequency: Frequency, segmentId: string | null, urlRules: Array<{ kind: UrlMatch, value: string, exclude: boolean }> }, questions: Array<{ id: string, key: string, position: number, type: QuestionType, prompt: string, required: boolean, options: Array<string>, allowOther: boolean, scaleMax: number | null, lowLabel: string | null, highLabel: string | null, displayStyle: string | null, logic: Array<{ operator: LogicOperator, value: string | null, values: Array<string>, number: number | null, goTo: string | null }> }> } | null };

export type BuilderSiteQueryVariables = Exact<{
  siteId: string | number;
}>;


export type BuilderSiteQuery = { site: { id: string, name: string, identifyEnabled: boolean, theme: { primary: string | null, background: string | null, text: string | null, position: string | null, font: string | null } } | null, segments: { edges: Array<{ node: { id: string, name: string } }> } };

export type CreateSurveyMutationVariables = Exact<{
  input: CreateSurveyInput;
}>;


export type CreateSurveyMutation = { createSurvey: { id: string, name: string } };

export type UpdateSurveyMutationVariables = Exact<{
  id: string | number;
  input: UpdateSurveyInput;
}>;


export type UpdateSurveyMutation = { updateSurvey: { id: string, siteId: string, kind: SurveyKind, name: string, status: SurveyStatus, thankYou: string | null, distribution: SurveyDistribution, linkUrl: string | null, hiddenFields: Array<string>, sentimentEnabled: boolean, sentimentEnabledAt: string | null, createdAt: string, updatedAt: string, targeting: { devices: Array<string>, samplingPercent: number, startsAt: string | null, endsAt: string | null, frequency: Frequency, segmentId: string | null, urlRules: Array<{ kind: UrlMatch, value: string, exclude: boolean }> }, questions: Array<{ id: string, key: string, position: number, type: QuestionType, prompt: string, required: boolean, options: Array<string>, allowOther: boolean, scaleMax: number | null, lowLabel: string | null, highLabel: string | null, displayStyle: string | null, logic: Array<{ operator: LogicOperator, value: string | null, values: Array<string>, number: number | null, goTo: string | null }> }> } };

export type BuilderSetStatusMutationVariables = Exact<{
  id: string | number;
  status: SurveyStatus;
}>;


export type BuilderSetStatusMutation = { setSurveyStatus: { id: string, status: SurveyStatus, updatedAt: string } };

export type SetSurveySentimentMutationVariables = Exact<{
  id: string | number;
  enabled: boolean;
}>;


export type SetSurveySentimentMutation = { setSurveySentiment: { id: string, sentimentEnabled: boolean, sentimentEnabledAt: string | null } };

export type RotateSurveyLinkMutationVariables = Exact<{
  id: string | number;
}>;


export type RotateSurveyLinkMutation = { rotateSurveyLink: { id: string, linkUrl: string | null } };

export type SurveyListQueryVariables = Exact<{
  siteId: string | number;
  kind: SurveyKind;
  status?: SurveyStatus | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type SurveyListQuery = { surveys: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, kind: SurveyKind, status: SurveyStatus, distribution: SurveyDistribution, createdAt: string, updatedAt: string, responseCount: number, completeCount: number, questions: Array<{ id: string }> } }> } };

export type SetSurveyStatusMutationVariables = Exact<{
  id: string | number;
  status: SurveyStatus;
}>;


export type SetSurveyStatusMutation = { setSurveyStatus: { id: string, status: SurveyStatus, updatedAt: string } };

export type DuplicateSurveyMutationVariables = Exact<{
  id: string | number;
}>;


export type DuplicateSurveyMutation = { duplicateSurvey: { id: string, name: string } };

export type TeamPageQueryVariables = Exact<{
  admin: boolean;
}>;


export type TeamPageQuery = { viewer: { account: { id: string } | null, organization: { members: Array<{ role: Role, disabled: boolean, createdAt: string, lastSignInAt: string | null, account: { id: string, email: string, name: string | null, twoFactorEnabled: boolean } }>, invites?: Array<{ id: string, email: string | null, role: Role, expiresAt: string, createdAt: string }> } } };

export type UpdateMemberMutationVariables = Exact<{
  accountId: string | number;
  input: UpdateMemberInput;
}>;


export type UpdateMemberMutation = { updateMember: { role: Role, disabled: boolean } };

export type RemoveMemberMutationVariables = Exact<{
  accountId: string | number;
}>;


export type RemoveMemberMutation = { removeMember: boolean };

export type CreateInviteMutationVariables = Exact<{
  input: CreateInviteInput;
}>;


export type CreateInviteMutation = { createInvite: { url: string, invite: { id: string, email: string | null, role: Role, expiresAt: string } } };

export type RevokeInviteMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeInviteMutation = { revokeInvite: boolean };

export type UserDetailQueryVariables = Exact<{
  siteId: string | number;
  userId: string;
  first: number;
  after?: string | null | undefined;
}>;


export type UserDetailQuery = { user: { userId: string, firstSeen: string, lastSeen: string, sessions: number, device: string | null, country: string | null, attributes: Array<{ name: string, type: AttributeType, value: unknown, stringValue: string | null, numberValue: number | null, booleanValue: boolean | null, dateValue: string | null }>, responses: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, surveyId: string, createdAt: string, isComplete: boolean, recording: { id: string } | null, answers: Array<{ questionId: string, value: unknown, sentiment: { label: SentimentLabel } | null }> } }> } } | null };

export type UserRecordingsQueryVariables = Exact<{
  siteId: string | number;
  userId: string;
  first: number;
  after?: string | null | undefined;
}>;


export type UserRecordingsQuery = { recordings: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, startedAt: string, durationMs: number, pageViews: number, clicks: number, rageClicks: number, device: string | null, browser: string | null, os: string | null, country: string | null, entryUrl: string | null } }> } };

export type UserListQueryVariables = Exact<{
  siteId: string | number;
  segmentId?: string | number | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type UserListQuery = { users: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { userId: string, firstSeen: string, lastSeen: string, sessions: number, device: string | null, country: string | null, attributes: Array<{ name: string, type: AttributeType, value: unknown, stringValue: string | null, numberValue: number | null, booleanValue: boolean | null, dateValue: string | null }> } }> }, segments: { edges: Array<{ node: { id: string, name: string } }> } };

export type SurveyNamesQueryVariables = Exact<{
  siteId: string | number;
}>;


export type SurveyNamesQuery = { surveys: { edges: Array<{ node: { id: string, name: string } }> }, polls: { edges: Array<{ node: { id: string, name: string } }> } };

export type ShellAccountQueryVariables = Exact<{ [key: string]: never; }>;


export type ShellAccountQuery = { viewer: { account: { id: string, email: string, name: string | null } | null, organizations: Array<{ id: string, name: string, role: Role }> } };

export type SwitchOrganizationMutationVariables = Exact<{
  id: string | number;
}>;


export type SwitchOrganizationMutation = { switchOrganization: { id: string, name: string, role: Role } };

export type SignOutMutationVariables = Exact<{ [key: string]: never; }>;


export type SignOutMutation = { signOut: boolean };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { role: Role, organization: { id: string, name: string, plan: Plan, dpaAcceptedAt: string | null, sites: { totalCount: number, edges: Array<{ node: { id: string, name: string } }> } } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const TrendSliceFragmentDoc = new TypedDocumentString(`
    fragment TrendSlice on SurveySummary {
  questions {
    question {
      id
    }
    nps {
      promoters
      passives
      detractors
    }
  }
}
    `, {"fragmentName":"TrendSlice"}) as unknown as TypedDocumentString<TrendSliceFragment, unknown>;
export const SiteFieldsFragmentDoc = new TypedDocumentString(`
    fragment SiteFields on Site {
  id
  name
  allowedDomains
  identifyEnabled
  retentionDays
  surveyCooldownDays
  maskInputs
  urlAllowedParams
  urlPatterns
  recordingEnabled
  recordingSamplePercent
  maskAllText
  requireConsent
  identityVerification
  hasIdentitySecret
  theme {
    primary
    background
    text
    position
    font
  }
  createdAt
  updatedAt
  lastDataAt
  snippet
}
    `, {"fragmentName":"SiteFields"}) as unknown as TypedDocumentString<SiteFieldsFragment, unknown>;
export const AccountPageDocument = new TypedDocumentString(`
    query AccountPage {
  viewer {
    account {
      id
      email
      name
      twoFactorEnabled
      createdAt
      sessions {
        id
        current
        device
        createdAt
        lastSeenAt
        expiresAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AccountPageQuery, AccountPageQueryVariables>;
export const UpdateAccountDocument = new TypedDocumentString(`
    mutation UpdateAccount($name: String) {
  updateAccount(name: $name) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<UpdateAccountMutation, UpdateAccountMutationVariables>;
export const ChangePasswordDocument = new TypedDocumentString(`
    mutation ChangePassword($current: String!, $next: String!) {
  changePassword(currentPassword: $current, newPassword: $next)
}
    `) as unknown as TypedDocumentString<ChangePasswordMutation, ChangePasswordMutationVariables>;
export const RevokeSessionDocument = new TypedDocumentString(`
    mutation RevokeSession($id: ID!) {
  revokeSession(id: $id)
}
    `) as unknown as TypedDocumentString<RevokeSessionMutation, RevokeSessionMutationVariables>;
export const SignOutEverywhereDocument = new TypedDocumentString(`
    mutation SignOutEverywhere {
  signOutEverywhere
}
    `) as unknown as TypedDocumentString<SignOutEverywhereMutation, SignOutEverywhereMutationVariables>;
export const StartTwoFactorDocument = new TypedDocumentString(`
    mutation StartTwoFactor {
  startTwoFactor {
    secret
    otpauthUri
  }
}
    `) as unknown as TypedDocumentString<StartTwoFactorMutation, StartTwoFactorMutationVariables>;
export const ConfirmTwoFactorDocument = new TypedDocumentString(`
    mutation ConfirmTwoFactor($code: String!) {
  confirmTwoFactor(code: $code)
}
    `) as unknown as TypedDocumentString<ConfirmTwoFactorMutation, ConfirmTwoFactorMutationVariables>;
export const DisableTwoFactorDocument = new TypedDocumentString(`
    mutation DisableTwoFactor($password: String!) {
  disableTwoFactor(password: $password)
}
    `) as unknown as TypedDocumentString<DisableTwoFactorMutation, DisableTwoFactorMutationVariables>;
export const ApiKeyListDocument = new TypedDocumentString(`
    query ApiKeyList($first: Int!, $after: String) {
  viewer {
    organization {
      apiKeys(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            name
            role
            clientId
            createdAt
            expiresAt
            revokedAt
            lastUsedAt
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ApiKeyListQuery, ApiKeyListQueryVariables>;
export const CreateApiKeyDocument = new TypedDocumentString(`
    mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    clientId
    clientSecret
    apiKey {
      id
      name
      role
      expiresAt
    }
  }
}
    `) as unknown as TypedDocumentString<CreateApiKeyMutation, CreateApiKeyMutationVariables>;
export const RevokeApiKeyDocument = new TypedDocumentString(`
    mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    id
    revokedAt
  }
}
    `) as unknown as TypedDocumentString<RevokeApiKeyMutation, RevokeApiKeyMutationVariables>;
export const HeatmapPagesDocument = new TypedDocumentString(`
    query HeatmapPages($siteId: ID!, $from: DateTime) {
  heatmapPages(siteId: $siteId, from: $from, first: 100) {
    url
    pageViews
    clicks
  }
  site(id: $siteId) {
    id
    recordingEnabled
    heatmapsEnabled
  }
  segments(siteId: $siteId, first: 100) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<HeatmapPagesQuery, HeatmapPagesQueryVariables>;
export const HeatmapDocument = new TypedDocumentString(`
    query Heatmap($siteId: ID!, $url: String!, $device: HeatmapDevice!, $kind: HeatmapKind!, $from: DateTime, $segmentId: ID) {
  heatmap(
    siteId: $siteId
    url: $url
    device: $device
    kind: $kind
    from: $from
    segmentId: $segmentId
  ) {
    url
    pageViews
    clicks
    documentWidth
    documentHeight
    referenceWidth
    binSize
    averageFold
    sample {
      recordings
      complete
    }
    points {
      x
      y
      count
    }
    elements {
      selector
      clicks
      share
    }
    scroll {
      depth
      share
    }
  }
}
    `) as unknown as TypedDocumentString<HeatmapQuery, HeatmapQueryVariables>;
export const HeatmapSnapshotDocument = new TypedDocumentString(`
    query HeatmapSnapshot($siteId: ID!, $url: String!, $device: HeatmapDevice!) {
  heatmapSnapshot(siteId: $siteId, url: $url, device: $device) {
    recordingId
    timestamp
    event
  }
}
    `) as unknown as TypedDocumentString<HeatmapSnapshotQuery, HeatmapSnapshotQueryVariables>;
export const InviteLinkDocument = new TypedDocumentString(`
    query InviteLink($token: String!) {
  invite(token: $token) {
    organizationName
    role
    email
    expiresAt
    setup
  }
}
    `) as unknown as TypedDocumentString<InviteLinkQuery, InviteLinkQueryVariables>;
export const AcceptInviteDocument = new TypedDocumentString(`
    mutation AcceptInvite($input: AcceptInviteInput!) {
  acceptInvite(input: $input) {
    account {
      id
    }
    organization {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<AcceptInviteMutation, AcceptInviteMutationVariables>;
export const InviteWhoAmIDocument = new TypedDocumentString(`
    query InviteWhoAmI {
  viewer {
    account {
      email
    }
  }
}
    `) as unknown as TypedDocumentString<InviteWhoAmIQuery, InviteWhoAmIQueryVariables>;
export const JoinOrganizationDocument = new TypedDocumentString(`
    mutation JoinOrganization($token: String!) {
  joinOrganization(token: $token) {
    id
    name
    role
  }
}
    `) as unknown as TypedDocumentString<JoinOrganizationMutation, JoinOrganizationMutationVariables>;
export const PlayerRecordingDocument = new TypedDocumentString(`
    query PlayerRecording($id: ID!) {
  recording(id: $id) {
    id
    siteId
    sessionId
    visitorId
    startedAt
    endedAt
    durationMs
    pageViews
    entryUrl
    exitUrl
    clicks
    rageClicks
    uTurns
    device
    browser
    os
    country
    viewportWidth
    viewportHeight
    eventCount
    user
    responses {
      id
      surveyId
      createdAt
      isComplete
      recording {
        id
      }
      answers {
        questionId
        value
        sentiment {
          label
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PlayerRecordingQuery, PlayerRecordingQueryVariables>;
export const PlayerEventsDocument = new TypedDocumentString(`
    query PlayerEvents($id: ID!, $after: String) {
  recording(id: $id) {
    id
    events(first: 1000, after: $after) {
      events
      endCursor
      hasNextPage
    }
  }
}
    `) as unknown as TypedDocumentString<PlayerEventsQuery, PlayerEventsQueryVariables>;
export const PlayerUserDocument = new TypedDocumentString(`
    query PlayerUser($siteId: ID!, $userId: String!) {
  user(siteId: $siteId, userId: $userId) {
    userId
    firstSeen
    lastSeen
    sessions
    attributes {
      name
      type
      value
      stringValue
      numberValue
      booleanValue
      dateValue
    }
    responses(first: 10) {
      totalCount
      edges {
        node {
          id
          surveyId
          createdAt
          isComplete
          recording {
            id
          }
          answers {
            questionId
            value
            sentiment {
              label
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PlayerUserQuery, PlayerUserQueryVariables>;
export const AuditLogDocument = new TypedDocumentString(`
    query AuditLog($first: Int!, $after: String) {
  auditLog(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        createdAt
        action
        apiKeyId
        accountId
        siteId
        subjectHash
        counts
      }
    }
  }
  viewer {
    organization {
      members {
        account {
          id
          email
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AuditLogQuery, AuditLogQueryVariables>;
export const LookupPersonalDataDocument = new TypedDocumentString(`
    mutation LookupPersonalData($input: PersonalDataInput!) {
  lookupPersonalData(input: $input)
}
    `) as unknown as TypedDocumentString<LookupPersonalDataMutation, LookupPersonalDataMutationVariables>;
export const DeletePersonalDataDocument = new TypedDocumentString(`
    mutation DeletePersonalData($input: PersonalDataInput!) {
  deletePersonalData(input: $input)
}
    `) as unknown as TypedDocumentString<DeletePersonalDataMutation, DeletePersonalDataMutationVariables>;
export const PurgeUrlsDocument = new TypedDocumentString(`
    mutation PurgeUrls($siteId: ID!, $pattern: String!) {
  purgeUrls(siteId: $siteId, pattern: $pattern)
}
    `) as unknown as TypedDocumentString<PurgeUrlsMutation, PurgeUrlsMutationVariables>;
export const PurgeTimeRangeDocument = new TypedDocumentString(`
    mutation PurgeTimeRange($siteId: ID!, $from: DateTime!, $to: DateTime!, $kinds: [PurgeKind!]!) {
  purgeTimeRange(siteId: $siteId, from: $from, to: $to, kinds: $kinds)
}
    `) as unknown as TypedDocumentString<PurgeTimeRangeMutation, PurgeTimeRangeMutationVariables>;
export const RecordingListDocument = new TypedDocumentString(`
    query RecordingList($siteId: ID!, $filter: RecordingFilterInput, $orderBy: RecordingOrder, $first: Int!, $after: String) {
  recordings(
    siteId: $siteId
    filter: $filter
    orderBy: $orderBy
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        sessionId
        startedAt
        durationMs
        pageViews
        clicks
        rageClicks
        uTurns
        device
        browser
        os
        country
        entryUrl
        user
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RecordingListQuery, RecordingListQueryVariables>;
export const RecordingSegmentsDocument = new TypedDocumentString(`
    query RecordingSegments($siteId: ID!) {
  segments(siteId: $siteId, first: 100) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RecordingSegmentsQuery, RecordingSegmentsQueryVariables>;
export const ResultsDocument = new TypedDocumentString(`
    query Results($id: ID!, $siteId: ID!, $filter: ResponseFilterInput) {
  survey(id: $id) {
    id
    siteId
    name
    kind
    status
    sentimentEnabled
    createdAt
    questions {
      id
      key
      type
      prompt
      options
    }
    summary(filter: $filter) {
      responses
      complete
      sentiment {
        positive
        neutral
        negative
        unscored
      }
      tags {
        tag
        count
      }
      questions {
        question {
          id
          key
          type
          prompt
        }
        answered
        skipped
        other
        average
        textAnswers
        choices {
          choice
          count
        }
        distribution {
          value
          count
        }
        nps {
          score
          promoters
          passives
          detractors
        }
        sentiment {
          positive
          neutral
          negative
          unscored
        }
      }
    }
  }
  segments(siteId: $siteId, first: 100) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ResultsQuery, ResultsQueryVariables>;
export const NpsTrendDocument = new TypedDocumentString(`
    query NpsTrend($id: ID!, $f0: ResponseFilterInput, $f1: ResponseFilterInput, $f2: ResponseFilterInput, $f3: ResponseFilterInput, $f4: ResponseFilterInput, $f5: ResponseFilterInput, $f6: ResponseFilterInput, $f7: ResponseFilterInput) {
  survey(id: $id) {
    b0: summary(filter: $f0) {
      ...TrendSlice
    }
    b1: summary(filter: $f1) {
      ...TrendSlice
    }
    b2: summary(filter: $f2) {
      ...TrendSlice
    }
    b3: summary(filter: $f3) {
      ...TrendSlice
    }
    b4: summary(filter: $f4) {
      ...TrendSlice
    }
    b5: summary(filter: $f5) {
      ...TrendSlice
    }
    b6: summary(filter: $f6) {
      ...TrendSlice
    }
    b7: summary(filter: $f7) {
      ...TrendSlice
    }
  }
}
    fragment TrendSlice on SurveySummary {
  questions {
    question {
      id
    }
    nps {
      promoters
      passives
      detractors
    }
  }
}`) as unknown as TypedDocumentString<NpsTrendQuery, NpsTrendQueryVariables>;
export const ResponsesPageDocument = new TypedDocumentString(`
    query ResponsesPage($surveyId: ID!, $filter: ResponseFilterInput, $first: Int!, $after: String) {
  responses(surveyId: $surveyId, filter: $filter, first: $first, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        createdAt
        isComplete
        visitorId
        userId
        userAttributes
        device
        browser
        os
        country
        pageUrl
        hiddenFields
        tags
        answers {
          questionId
          value
          other
          comment
          sentiment {
            label
            score
          }
        }
        recording {
          id
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ResponsesPageQuery, ResponsesPageQueryVariables>;
export const SegmentContextDocument = new TypedDocumentString(`
    query SegmentContext($siteId: ID!) {
  userAttributes(siteId: $siteId) {
    name
    type
  }
}
    `) as unknown as TypedDocumentString<SegmentContextQuery, SegmentContextQueryVariables>;
export const SegmentLoadDocument = new TypedDocumentString(`
    query SegmentLoad($id: ID!) {
  segment(id: $id) {
    id
    siteId
    name
    rule
    createdAt
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<SegmentLoadQuery, SegmentLoadQueryVariables>;
export const SegmentPreviewDocument = new TypedDocumentString(`
    query SegmentPreview($siteId: ID!, $rule: JSON!) {
  users(siteId: $siteId, rule: $rule, first: 10) {
    totalCount
    edges {
      node {
        userId
        lastSeen
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SegmentPreviewQuery, SegmentPreviewQueryVariables>;
export const CreateSegmentDocument = new TypedDocumentString(`
    mutation CreateSegment($input: CreateSegmentInput!) {
  createSegment(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateSegmentMutation, CreateSegmentMutationVariables>;
export const UpdateSegmentDocument = new TypedDocumentString(`
    mutation UpdateSegment($id: ID!, $input: UpdateSegmentInput!) {
  updateSegment(id: $id, input: $input) {
    id
    name
    rule
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<UpdateSegmentMutation, UpdateSegmentMutationVariables>;
export const DeleteSegmentDocument = new TypedDocumentString(`
    mutation DeleteSegment($id: ID!) {
  deleteSegment(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteSegmentMutation, DeleteSegmentMutationVariables>;
export const SegmentListDocument = new TypedDocumentString(`
    query SegmentList($siteId: ID!, $first: Int!, $after: String) {
  segments(siteId: $siteId, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        name
        updatedAt
        preview {
          matchingUsers
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SegmentListQuery, SegmentListQueryVariables>;
export const SignInDocument = new TypedDocumentString(`
    mutation SignIn($input: SignInInput!) {
  signIn(input: $input) {
    account {
      id
    }
    organization {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<SignInMutation, SignInMutationVariables>;
export const SiteListDocument = new TypedDocumentString(`
    query SiteList($first: Int!, $after: String) {
  sites(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        name
        allowedDomains
        recordingEnabled
        identifyEnabled
        retentionDays
        createdAt
        lastDataAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SiteListQuery, SiteListQueryVariables>;
export const CreateSiteDocument = new TypedDocumentString(`
    mutation CreateSite($input: CreateSiteInput!) {
  createSite(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateSiteMutation, CreateSiteMutationVariables>;
export const SiteSettingsDocument = new TypedDocumentString(`
    query SiteSettings($id: ID!) {
  site(id: $id) {
    ...SiteFields
  }
}
    fragment SiteFields on Site {
  id
  name
  allowedDomains
  identifyEnabled
  retentionDays
  surveyCooldownDays
  maskInputs
  urlAllowedParams
  urlPatterns
  recordingEnabled
  recordingSamplePercent
  maskAllText
  requireConsent
  identityVerification
  hasIdentitySecret
  theme {
    primary
    background
    text
    position
    font
  }
  createdAt
  updatedAt
  lastDataAt
  snippet
}`) as unknown as TypedDocumentString<SiteSettingsQuery, SiteSettingsQueryVariables>;
export const UpdateSiteDocument = new TypedDocumentString(`
    mutation UpdateSite($id: ID!, $input: UpdateSiteInput!) {
  updateSite(id: $id, input: $input) {
    ...SiteFields
  }
}
    fragment SiteFields on Site {
  id
  name
  allowedDomains
  identifyEnabled
  retentionDays
  surveyCooldownDays
  maskInputs
  urlAllowedParams
  urlPatterns
  recordingEnabled
  recordingSamplePercent
  maskAllText
  requireConsent
  identityVerification
  hasIdentitySecret
  theme {
    primary
    background
    text
    position
    font
  }
  createdAt
  updatedAt
  lastDataAt
  snippet
}`) as unknown as TypedDocumentString<UpdateSiteMutation, UpdateSiteMutationVariables>;
export const RotateIdentitySecretDocument = new TypedDocumentString(`
    mutation RotateIdentitySecret($siteId: ID!) {
  rotateIdentitySecret(siteId: $siteId) {
    secret
    site {
      ...SiteFields
    }
  }
}
    fragment SiteFields on Site {
  id
  name
  allowedDomains
  identifyEnabled
  retentionDays
  surveyCooldownDays
  maskInputs
  urlAllowedParams
  urlPatterns
  recordingEnabled
  recordingSamplePercent
  maskAllText
  requireConsent
  identityVerification
  hasIdentitySecret
  theme {
    primary
    background
    text
    position
    font
  }
  createdAt
  updatedAt
  lastDataAt
  snippet
}`) as unknown as TypedDocumentString<RotateIdentitySecretMutation, RotateIdentitySecretMutationVariables>;
export const AcceptDpaDocument = new TypedDocumentString(`
    mutation AcceptDpa {
  acceptDataProcessingAgreement {
    id
    dpaAcceptedAt
  }
}
    `) as unknown as TypedDocumentString<AcceptDpaMutation, AcceptDpaMutationVariables>;
export const SurveyEditDocument = new TypedDocumentString(`
    query SurveyEdit($id: ID!) {
  survey(id: $id) {
    id
    siteId
    kind
    name
    status
    thankYou
    distribution
    linkUrl
    hiddenFields
    sentimentEnabled
    sentimentEnabledAt
    createdAt
    updatedAt
    targeting {
      urlRules {
        kind
        value
        exclude
      }
      devices
      samplingPercent
      startsAt
      endsAt
      frequency
      segmentId
    }
    questions {
      id
      key
      position
      type
      prompt
      required
      options
      allowOther
      scaleMax
      lowLabel
      highLabel
      displayStyle
      logic {
        operator
        value
        values
        number
        goTo
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SurveyEditQuery, SurveyEditQueryVariables>;
export const BuilderSiteDocument = new TypedDocumentString(`
    query BuilderSite($siteId: ID!) {
  site(id: $siteId) {
    id
    name
    identifyEnabled
    theme {
      primary
      background
      text
      position
      font
    }
  }
  segments(siteId: $siteId, first: 100) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<BuilderSiteQuery, BuilderSiteQueryVariables>;
export const CreateSurveyDocument = new TypedDocumentString(`
    mutation CreateSurvey($input: CreateSurveyInput!) {
  createSurvey(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateSurveyMutation, CreateSurveyMutationVariables>;
export const UpdateSurveyDocument = new TypedDocumentString(`
    mutation UpdateSurvey($id: ID!, $input: UpdateSurveyInput!) {
  updateSurvey(id: $id, input: $input) {
    id
    siteId
    kind
    name
    status
    thankYou
    distribution
    linkUrl
    hiddenFields
    sentimentEnabled
    sentimentEnabledAt
    createdAt
    updatedAt
    targeting {
      urlRules {
        kind
        value
        exclude
      }
      devices
      samplingPercent
      startsAt
      endsAt
      frequency
      segmentId
    }
    questions {
      id
      key
      position
      type
      prompt
      required
      options
      allowOther
      scaleMax
      lowLabel
      highLabel
      displayStyle
      logic {
        operator
        value
        values
        number
        goTo
      }
    }
  }
}
    `) as unknown as TypedDocumentString<UpdateSurveyMutation, UpdateSurveyMutationVariables>;
export const BuilderSetStatusDocument = new TypedDocumentString(`
    mutation BuilderSetStatus($id: ID!, $status: SurveyStatus!) {
  setSurveyStatus(id: $id, status: $status) {
    id
    status
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<BuilderSetStatusMutation, BuilderSetStatusMutationVariables>;
export const SetSurveySentimentDocument = new TypedDocumentString(`
    mutation SetSurveySentiment($id: ID!, $enabled: Boolean!) {
  setSurveySentiment(id: $id, enabled: $enabled) {
    id
    sentimentEnabled
    sentimentEnabledAt
  }
}
    `) as unknown as TypedDocumentString<SetSurveySentimentMutation, SetSurveySentimentMutationVariables>;
export const RotateSurveyLinkDocument = new TypedDocumentString(`
    mutation RotateSurveyLink($id: ID!) {
  rotateSurveyLink(id: $id) {
    id
    linkUrl
  }
}
    `) as unknown as TypedDocumentString<RotateSurveyLinkMutation, RotateSurveyLinkMutationVariables>;
export const SurveyListDocument = new TypedDocumentString(`
    query SurveyList($siteId: ID!, $kind: SurveyKind!, $status: SurveyStatus, $first: Int!, $after: String) {
  surveys(
    siteId: $siteId
    kind: $kind
    status: $status
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        name
        kind
        status
        distribution
        createdAt
        updatedAt
        questions {
          id
        }
        responseCount
        completeCount
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SurveyListQuery, SurveyListQueryVariables>;
export const SetSurveyStatusDocument = new TypedDocumentString(`
    mutation SetSurveyStatus($id: ID!, $status: SurveyStatus!) {
  setSurveyStatus(id: $id, status: $status) {
    id
    status
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<SetSurveyStatusMutation, SetSurveyStatusMutationVariables>;
export const DuplicateSurveyDocument = new TypedDocumentString(`
    mutation DuplicateSurvey($id: ID!) {
  duplicateSurvey(id: $id) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<DuplicateSurveyMutation, DuplicateSurveyMutationVariables>;
export const TeamPageDocument = new TypedDocumentString(`
    query TeamPage($admin: Boolean!) {
  viewer {
    account {
      id
    }
    organization {
      members {
        account {
          id
          email
          name
          twoFactorEnabled
        }
        role
        disabled
        createdAt
        lastSignInAt
      }
      invites @include(if: $admin) {
        id
        email
        role
        expiresAt
        createdAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<TeamPageQuery, TeamPageQueryVariables>;
export const UpdateMemberDocument = new TypedDocumentString(`
    mutation UpdateMember($accountId: ID!, $input: UpdateMemberInput!) {
  updateMember(accountId: $accountId, input: $input) {
    role
    disabled
  }
}
    `) as unknown as TypedDocumentString<UpdateMemberMutation, UpdateMemberMutationVariables>;
export const RemoveMemberDocument = new TypedDocumentString(`
    mutation RemoveMember($accountId: ID!) {
  removeMember(accountId: $accountId)
}
    `) as unknown as TypedDocumentString<RemoveMemberMutation, RemoveMemberMutationVariables>;
export const CreateInviteDocument = new TypedDocumentString(`
    mutation CreateInvite($input: CreateInviteInput!) {
  createInvite(input: $input) {
    url
    invite {
      id
      email
      role
      expiresAt
    }
  }
}
    `) as unknown as TypedDocumentString<CreateInviteMutation, CreateInviteMutationVariables>;
export const RevokeInviteDocument = new TypedDocumentString(`
    mutation RevokeInvite($id: ID!) {
  revokeInvite(id: $id)
}
    `) as unknown as TypedDocumentString<RevokeInviteMutation, RevokeInviteMutationVariables>;
export const UserDetailDocument = new TypedDocumentString(`
    query UserDetail($siteId: ID!, $userId: String!, $first: Int!, $after: String) {
  user(siteId: $siteId, userId: $userId) {
    userId
    firstSeen
    lastSeen
    sessions
    device
    country
    attributes {
      name
      type
      value
      stringValue
      numberValue
      booleanValue
      dateValue
    }
    responses(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          surveyId
          createdAt
          isComplete
          recording {
            id
          }
          answers {
            questionId
            value
            sentiment {
              label
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<UserDetailQuery, UserDetailQueryVariables>;
export const UserRecordingsDocument = new TypedDocumentString(`
    query UserRecordings($siteId: ID!, $userId: String!, $first: Int!, $after: String) {
  recordings(
    siteId: $siteId
    filter: {userId: $userId}
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        startedAt
        durationMs
        pageViews
        clicks
        rageClicks
        device
        browser
        os
        country
        entryUrl
      }
    }
  }
}
    `) as unknown as TypedDocumentString<UserRecordingsQuery, UserRecordingsQueryVariables>;
export const UserListDocument = new TypedDocumentString(`
    query UserList($siteId: ID!, $segmentId: ID, $first: Int!, $after: String) {
  users(siteId: $siteId, segmentId: $segmentId, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        userId
        firstSeen
        lastSeen
        sessions
        device
        country
        attributes {
          name
          type
          value
          stringValue
          numberValue
          booleanValue
          dateValue
        }
      }
    }
  }
  segments(siteId: $siteId, first: 100) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<UserListQuery, UserListQueryVariables>;
export const SurveyNamesDocument = new TypedDocumentString(`
    query SurveyNames($siteId: ID!) {
  surveys(siteId: $siteId, first: 100) {
    edges {
      node {
        id
        name
      }
    }
  }
  polls(siteId: $siteId, first: 100) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SurveyNamesQuery, SurveyNamesQueryVariables>;
export const ShellAccountDocument = new TypedDocumentString(`
    query ShellAccount {
  viewer {
    account {
      id
      email
      name
    }
    organizations {
      id
      name
      role
    }
  }
}
    `) as unknown as TypedDocumentString<ShellAccountQuery, ShellAccountQueryVariables>;
export const SwitchOrganizationDocument = new TypedDocumentString(`
    mutation SwitchOrganization($id: ID!) {
  switchOrganization(organizationId: $id) {
    id
    name
    role
  }
}
    `) as unknown as TypedDocumentString<SwitchOrganizationMutation, SwitchOrganizationMutationVariables>;
export const SignOutDocument = new TypedDocumentString(`
    mutation SignOut {
  signOut
}
    `) as unknown as TypedDocumentString<SignOutMutation, SignOutMutationVariables>;
export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  viewer {
    role
    organization {
      id
      name
      plan
      dpaAcceptedAt
      sites(first: 100) {
        totalCount
        edges {
          node {
            id
            name
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;