import { backendProjects } from '../../vitest.shared';

export default backendProjects();
