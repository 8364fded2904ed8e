import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs on stderr (stdout carries reports). Known secret-bearing keys are redacted wherever
 * they appear, as a second line of defence: code should not log them in the first place.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [
          '*.accessKeySecret',
          '*.AccessKeySecret',
          '*.securityToken',
          '*.SecurityToken',
          '*.password',
          '*.signingSecret',
          '*.token',
          '*.authorization',
          '*.headers.authorization',
          'accessKeySecret',
          'securityToken',
          'password',
        ],
        censor: '[redacted]',
      },
    },
    destination as pino.DestinationStream,
  );
}
