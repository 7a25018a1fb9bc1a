import { createContext } from 'react';
import type { LayoutInput, LayoutResult } from './dagLayout';

/**
 * The layout function DagView uses: the Web Worker in the app (main.tsx provides it), the plain
 * function in component tests (jsdom has no workers).
 */
export const DagLayoutContext = createContext<((input: LayoutInput) => Promise<LayoutResult>) | null>(null);
