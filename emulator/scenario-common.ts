import { z } from 'zod';

/** The region the emulator stands for: its endpoints are the `cn-hangzhou` ones (see `actions/index.ts` HOST_IDS). */
export const DEFAULT_REGION = 'cn-hangzhou';

/**
 * Scenario dates are ISO-8601 timestamps or offsets relative to the emulator's clock ("-400d", "-2h",
 * "+7d", "now"), so a scenario stays meaningful whatever day it runs (see `dates.ts` resolveDate).
 */
export const RelativeDate = z
  .string()
  .regex(/^(now|[-+]\d+[smhd]|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?Z)?)$/, {
    message: 'use an ISO-8601 date/time (2026-01-31T00:00:00Z), "now", or an offset like "-90d", "-2h"',
  });

/** A length of time (`7d`, `12h`, `604800s`), the units KMS UpdateSecretRotationPolicy accepts (see `dates.ts` durationSeconds). */
export const Duration = z.string().regex(/^\d+[smhd]$/, { message: 'use a duration like "7d", "12h" or "604800s"' });
