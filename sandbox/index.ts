// The local Slack: one implementation for bot tests and the browser sandbox.
export {
  LocalSlack,
  type AppManifest,
  type CommandResult,
  type LocalSlackOptions,
  type Option,
  type SubmitResult,
  type Target,
  type WaitOptions,
} from './local-slack.js';
export { slackSignature, type Delivery, type SendOptions } from './events.js';
export {
  DEMO_PEOPLE,
  DEMO_USER_GROUPS,
  SANDBOX_BOT,
  SANDBOX_CHANNELS,
  SANDBOX_TEAM,
  type ChannelSpec,
  type DemoPerson,
  type DemoRole,
} from './people.js';
export type { ApiCall } from './web-api.js';
export type { Change, Conversation, EphemeralMessage, Message, SlackUser, View } from './workspace.js';
export type { SimpleValue } from './view-state.js';
