import { describePagesAt } from './support/a11yPages.ts';

describePagesAt(390, 'light');
