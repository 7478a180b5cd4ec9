// The one call a Node training program makes first. In a page, import setupBackend from
// '@tailwise/backends' instead and pick 'webgl', 'webgpu', 'wasm' or 'cpu'.
import { setupBackend } from '@tailwise/backends/node';

const { name, packageName } = await setupBackend('wasm'); // or 'cpu', or 'tensorflow'
console.log(`${name} from ${packageName}`);
