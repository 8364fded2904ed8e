/** Configuration: one strict schema, a loader (file + environment) and documented defaults. */
export { buildConfigSchema, SERVICES, type Config, type Exclusion, type RuleOverride, type Service } from './schema.js';
export { loadConfig, parseConfig, DEFAULT_CONFIG_FILE, type LoadConfigOptions } from './load.js';
export { DEFAULTS, OPTION_DOCS, renderDefaultsDoc, type OptionDoc } from './defaults.js';
export { activeExclusions, isExclusionActive } from './exclusions.js';
export { ENV_VARS } from './env.js';
export { LOG_LEVELS, PROTOCOLS, type LogLevel, type Protocol } from './fields.js';
export { ruleSettings, type RuleSettings } from './rule-settings.js';
export { readChatSecrets, databaseUrl, SECRET_VARS, type ChatSecrets } from './secrets.js';
export { CHAT_KINDS } from './review-schema.js';
export { ACTIVITY_SOURCES, type ActivityConfig, type ActivitySource } from './activity-schema.js';
export { ACCOUNT_MODES, DEFAULT_MEMBER_APPLY_ROLE, DEFAULT_MEMBER_ROLE, memberApplyRoleArn, memberRoleArn, type AccountMode, type AccountsConfig, type MemberConfig } from './accounts-schema.js';
