/**
 * The benchmark's 10-rule policy for service-account keys. Every rule is evaluated on every request
 * and every one passes for the bench request (a refusal would measure the error path instead), but
 * each exercises a different kind of check: presence, ranges, regex, glob, membership, a refusal
 * rule, and no-op `set`/`clamp` mutations. The founding policy (service accounts must send `user`)
 * comes from `general_settings.service_account_settings` in the config.
 */
export const BENCH_POLICY = {
  name: 'bench-service-accounts',
  key_types: ['service_account'],
  rules: [
    {
      id: 'messages-present',
      require: { present: 'request.messages.0' },
      message: 'messages must not be empty',
      param: 'messages',
    },
    {
      id: 'max-tokens-cap',
      when: { present: 'request.max_tokens' },
      require: { '<=': [{ var: 'request.max_tokens' }, 4096] },
      message: 'max_tokens must be at most 4096',
      param: 'max_tokens',
    },
    {
      id: 'temperature-range',
      when: { present: 'request.temperature' },
      require: { '<=': [0, { var: 'request.temperature' }, 2] },
      message: 'temperature must be between 0 and 2',
      param: 'temperature',
    },
    {
      id: 'single-choice',
      refuse: { '>': [{ var: 'request.n' }, 1] },
      message: 'n above 1 is not allowed for service accounts',
      param: 'n',
    },
    {
      id: 'no-tools',
      refuse: { '!!': [{ var: 'request.tools' }] },
      message: 'tools are not allowed for service accounts',
      param: 'tools',
    },
    {
      id: 'user-format',
      require: { regex_match: [{ var: 'request.user' }, '^[a-z0-9-]{1,64}$'] },
      message: 'user must be a lowercase id',
      param: 'user',
    },
    {
      id: 'model-family',
      require: { glob: [{ var: 'model' }, ['gpt-4o*', 'gpt-4.1*']] },
      message: 'only gpt-4o and gpt-4.1 models',
      param: 'model',
    },
    {
      id: 'team-bound',
      require: { '!!': [{ var: 'key.team_id' }] },
      message: 'service accounts must belong to a team',
    },
    {
      id: 'default-temperature',
      set: { path: 'request.temperature', value: 0.2, if_missing: true },
    },
    {
      id: 'clamp-max-tokens',
      clamp: { path: 'request.max_tokens', min: 1, max: 1024 },
    },
  ],
} as const;
