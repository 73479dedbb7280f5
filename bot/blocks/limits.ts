/**
 * Slack's Block Kit and message limits, in one place: the bot's builders summarise against them, and the
 * local Slack (sandbox/) refuses payloads over them exactly as Slack does (invalid_blocks / invalid_arguments).
 * Figures from Slack's Block Kit reference (docs.slack.dev/reference/block-kit).
 */
export const SLACK_LIMITS = {
  /** Top-level blocks in one message (chat.postMessage, chat.update, ephemeral, response_url). */
  messageBlocks: 50,
  /** Top-level blocks in a modal or an App Home view. */
  viewBlocks: 100,
  /** Top-level `text` of a message; past it Slack answers msg_too_long. */
  messageText: 40_000,
  /** Views a user can have stacked in one modal (views.push beyond it: push_limit_reached). */
  viewStack: 3,
  /** A trigger_id is good for one views.open / views.push within this time. */
  triggerIdTtlMs: 3_000,
  /** A response_url is good for this many posts within 30 minutes. */
  responseUrlUses: 5,
  responseUrlTtlMs: 30 * 60_000,

  blockId: 255,
  actionId: 255,
  sectionText: 3_000,
  sectionFields: 10,
  sectionFieldText: 2_000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  markdownBlockText: 12_000,
  imageAltText: 2_000,
  imageUrl: 3_000,
  imageTitle: 2_000,
  inputLabel: 2_000,
  inputHint: 2_000,
  placeholder: 150,
  buttonText: 75,
  buttonValue: 2_000,
  buttonUrl: 3_000,
  selectOptions: 100,
  optionGroups: 100,
  optionGroupLabel: 75,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  /** checkboxes and radio_buttons */
  choiceOptions: 10,
  overflowOptions: 5,
  plainTextInputMaxLength: 3_000,

  viewTitle: 24,
  viewSubmit: 24,
  viewClose: 24,
  privateMetadata: 3_000,
  callbackId: 255,
  externalId: 255,
} as const;

export type SlackLimits = typeof SLACK_LIMITS;
