import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The first render of a page can take over a second on a loaded CI machine (seen once:
// 1.7 s); findBy* and waitFor wait up to 5 s instead of 1 s before they fail.
configure({ asyncUtilTimeout: 5_000 });
