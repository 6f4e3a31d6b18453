/**
 * The flow format: conversations as data (one YAML file per flow under flows/).
 * Every sentence is an i18next key; targets name a node in the same flow ("node"),
 * another flow's start ("flow:status") or another flow's node ("flow:status/show").
 */

/** "path", "!path", "path == value" or "path != value", over the session's variables. */
type Condition = string;

/** One sentence of a screen: a key, shown only when its condition holds, optionally once per list item. */
export interface TextItem {
  key: string;
  when?: Condition;
  /** Renders the key once per element of this list variable, with the element as `item`. */
  each?: string;
}

export interface MenuOption {
  label: string;
  go: string;
  when?: Condition;
  /** Variables to set when this option is chosen (e.g. the provider picked from a list). */
  set?: Record<string, string>;
  /** A fixed number instead of its place in the list: the same entry keeps the same number on every menu ("9" personal data). */
  number?: string;
}

interface NodeBase {
  text?: TextItem[];
}

/** Waits for a choice among fixed options. */
export interface MenuNode extends NodeBase {
  type: "menu";
  options: MenuOption[];
  /** The home screen: arriving here forgets the way back (back from home goes nowhere). */
  home?: boolean;
  /**
   * Only a key pressed on this screen answers it (the personal-data notice's explicit yes): keys a
   * dial carries (`*384*123*1#`) stop here rather than answer it, and are not pressed further.
   */
  explicit?: boolean;
}

/** Waits for a choice among items of a list variable ({ id, label }[]): e.g. which beneficiary. */
export interface ChooseNode extends NodeBase {
  type: "choose";
  from: string;
  /** The sentence each item's choice shows, with the item as `item` (e.g. a name and its status); by default the item's `label`. */
  label?: string;
  save: string;
  next: string;
  /**
   * The person is identified when the conversation waits here (a guardian choosing whom to ask
   * about): a word for every screen said before it (a first SMS "TT", a word the personal-data
   * notice held back) is answered here, as on the home menu. Keys dialled with a code still wait
   * for the home menu: their numbers are its numbers.
   */
  identified?: boolean;
}

/** Waits for typed text, checked by a named validator. */
export interface InputNode extends NodeBase {
  type: "input";
  validate: string;
  save: string;
  next: string;
  /** The answer is personal (an ID or account number): transcripts keep it masked. */
  sensitive?: boolean;
  /** Ask the chat channel to offer "share my phone number". */
  offerContact?: boolean;
  /** Where a shared own phone number (a contact the channel vouches for) goes instead of typed text. */
  onContact?: string;
}

/** Calls a named domain action; its outcome picks the next node. */
interface ActionNode extends NodeBase {
  type: "action";
  action: string;
  /** Arguments: literal strings, or "$path" for a session variable. */
  args?: Record<string, string>;
  save?: string;
  outcomes: Record<string, string>;
}

/** Says its text and moves on (`next`) or ends the conversation (`end`). */
interface MessageNode extends NodeBase {
  type: "message";
  next?: string;
  end?: boolean;
}

/** Picks the next node from the value of a variable. */
interface BranchNode extends NodeBase {
  type: "branch";
  on: string;
  cases: Record<string, string>;
  default: string;
}

export type FlowNode = MenuNode | ChooseNode | InputNode | ActionNode | MessageNode | BranchNode;

export interface Flow {
  id: string;
  /** Shown in flows check output and errors. */
  file: string;
  start: string;
  nodes: Record<string, FlowNode>;
}

export type FlowSet = Map<string, Flow>;

export function isWaitingNode(node: FlowNode): node is MenuNode | ChooseNode | InputNode {
  return node.type === "menu" || node.type === "choose" || node.type === "input";
}
