/// <reference lib="webworker" />
import { layoutDag, type LayoutInput } from './dagLayout';

// Runs the layout off the main thread: one request in, its positions (or an error) out.
interface LayoutRequest {
  requestId: number;
  input: LayoutInput;
}

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const { requestId, input } = event.data;
  layoutDag(input).then(
    (result) => scope.postMessage({ requestId, result }),
    (error: unknown) => scope.postMessage({ requestId, error: String(error) }),
  );
};
