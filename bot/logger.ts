import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../runtime/logger.js';

/** Routes Bolt's and the Web API client's logs into our structured logger. */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ part: 'slack' });
  let level = LogLevel.INFO;
  return {
    debug: (...msg) => child.debug(msg.map(String).join(' ')),
    info: (...msg) => child.info(msg.map(String).join(' ')),
    warn: (...msg) => child.warn(msg.map(String).join(' ')),
    error: (...msg) => child.error(msg.map(String).join(' ')),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
