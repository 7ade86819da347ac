// Lets `node` run the TypeScript sources directly (benchmarks, demo), through tsx's loader.
import { register } from 'tsx/esm/api';
register();
