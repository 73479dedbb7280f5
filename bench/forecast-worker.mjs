// Worker entry for bench/forecast.ts: module hooks are per thread, so tsx is registered here before
// the TypeScript file is imported (it sees it is not the main thread and forecasts its share).
import { register } from 'tsx/esm/api';

register();
await import('./forecast.ts');
