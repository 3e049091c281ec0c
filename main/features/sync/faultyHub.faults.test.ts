// The same convergence under the hub's documented fault switch with latency up to 2 s
// (`npm run test:faults` sets FAULT_LATENCY_MS=2000).
import './faultyHub.test'
