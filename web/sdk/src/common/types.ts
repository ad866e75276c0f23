// The server's JSON, as on the wire (snake_case). See web/sdk/README.md, "The server contract".

export type QuestionType =
  | 'SHORT_TEXT'
  | 'LONG_TEXT'
  | 'SINGLE_CHOICE'
  | 'MULTIPLE_CHOICE'
  | 'NPS'
  | 'RATING'
  | 'EMAIL'
  | 'STATEMENT';

export type DisplayStyle = 'STARS' | 'EMOJI' | 'NUMBERS' | 'LIST' | 'DROPDOWN';

export type LogicOperator =
  | 'EQUALS'
  | 'ONE_OF'
  | 'CONTAINS'
  | 'LESS_THAN'
  | 'GREATER_THAN'
  | 'ANSWERED'
  | 'SKIPPED'
  | 'ALWAYS';

export interface LogicRule {
  operator: LogicOperator;
  value?: string;
  values?: string[];
  number?: number;
  /** Absent: end the survey. */
  go_to?: string;
}

export interface Question {
  id: number;
  key: string;
  type: QuestionType;
  prompt: string;
  required: boolean;
  options?: string[];
  allow_other?: boolean;
  scale?: [number, number];
  low_label?: string;
  high_label?: string;
  display_style?: DisplayStyle;
  logic?: LogicRule[];
}

export interface Widget {
  id: number;
  kind: 'survey' | 'poll';
  name: string;
  thank_you: string | null;
  questions: Question[];
}

export interface Theme {
  primary: string;
  background: string;
  text: string;
  position: 'bottom-right' | 'bottom-left' | 'center';
  font: string;
}

export interface RecordingConfig {
  enabled: boolean;
  sample_percent: number;
  mask_all_text: boolean;
}

/** `GET {base}/v1/sites/{site}/config`. */
export interface SiteConfig {
  require_consent: boolean;
  identity_verification: boolean;
  recording: RecordingConfig;
  /** Heatmaps on: without recording, the tag sends clicks, moves and scroll itself. */
  heatmaps?: boolean;
  theme: Theme;
}

/** `GET {base}/v1/sites/{site}/widgets`. */
export interface WidgetsResponse {
  widgets: Widget[];
}

/** An error answer: `{"error": {"code", "message", "field"?}}`. */
export interface ApiError {
  error: { code: string; message: string; field?: string };
}

/** What the tag hands the surveys chunk. The chunk posts displays and responses itself. */
export interface SurveyContext {
  base: string;
  site: number;
  visitorId: string;
  pageUrl(): string;
  /** The visitor's current session id (sent with responses: the recording's link). */
  sessionId?(): string;
  theme: Theme;
  /** Called once the widget is closed (answered or dismissed): the tag may show the next one. */
  onDone?(): void;
}

/** The surveys chunk (`loupe-surveys.js`), registered as `surveys`. */
export interface SurveysChunk {
  render(widget: Widget, ctx: SurveyContext): void;
}

export interface RecorderOptions {
  base: string;
  site: number;
  visitorId: string;
  /** The current session id (it may change after 30 minutes without activity). */
  sessionId(): string;
  maskAllText: boolean;
}

export interface Recording {
  addCustomEvent(name: string, props?: unknown): void;
  stop(): void;
}

/** The recorder chunk (`loupe-recorder.js`), registered as `recorder`. */
export interface RecorderChunk {
  start(opts: RecorderOptions): Recording;
}
