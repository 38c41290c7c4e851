import { describePagesAt } from './support/a11yPages.ts';

describePagesAt(1280, 'dark');
