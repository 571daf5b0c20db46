// `app.logger`: hooks and routes write their own lines into the same logs as the requests (GET /api/logs), with
// a level and structured data, kept when the level reaches `logs.minLevel`.
import { LOG_LEVELS, type Logs } from './logs.js';

export class Logger {
  constructor(private readonly logs: Logs) {}

  debug(message: string, data?: Record<string, unknown>): void {
    this.logs.add(LOG_LEVELS.debug, message, data);
  }

  info(message: string, data?: Record<string, unknown>): void {
    this.logs.add(LOG_LEVELS.info, message, data);
  }

  warn(message: string, data?: Record<string, unknown>): void {
    this.logs.add(LOG_LEVELS.warn, message, data);
  }

  error(message: string, data?: Record<string, unknown>): void {
    this.logs.add(LOG_LEVELS.error, message, data);
  }
}
